// The Chinese error texts cover the catalog exactly and keep what a caller acts on: env vars, endpoint paths, WeChat's
// ret codes and constants, and every number of the English text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERRORS, type ErrorName } from './errors.ts';
import { ERRORS_ZH } from './errors-zh.ts';

const names = Object.keys(ERRORS) as ErrorName[];
const CJK = /\p{Script=Han}/u;

/** What must reach the Chinese text unchanged: a caller copies these into config, code or a search. */
const KEPT: readonly [string, RegExp][] = [
  ['env var', /WXGATE_[A-Z_]+/g],
  ['endpoint path', /\/[a-z_]+(?:\/[a-z_]+)+/g],
  ['WeChat ret code', /\bret -?\d+/g],
  ['WeChat errcode / CDN retcode', /\b(?:errcode|retcode) -?\d+/g],
  ['WeChat error constant', /\bMM[A-Z]*_[A-Z_]+/g],
  ['number', /\d+(?:,\d{3})*/g],
];

test('every catalog error has a Chinese text with Chinese in it', () => {
  for (const name of names) {
    const zh = (ERRORS_ZH as Record<string, unknown>)[name];
    assert.equal(typeof zh, 'string', `${name} has no Chinese text`);
    assert.ok((zh as string).trim().length > 0, `${name}: empty Chinese text`);
    assert.match(zh as string, CJK, `${name}: no CJK character in ${JSON.stringify(zh)}`);
  }
});

test('no Chinese text for an error the catalog does not have', () => {
  const extra = Object.keys(ERRORS_ZH).filter((name) => !Object.hasOwn(ERRORS, name));
  assert.deepEqual(extra, []);
  assert.equal(Object.keys(ERRORS_ZH).length, names.length);
});

test('the Chinese text keeps the env vars, endpoint paths, ret codes and numbers of the English', () => {
  const missing: string[] = [];
  for (const name of names) {
    const en = ERRORS[name].message;
    const zh = ERRORS_ZH[name];
    for (const [what, pattern] of KEPT) {
      for (const token of new Set(en.match(pattern) ?? [])) {
        if (!zh.includes(token)) missing.push(`${name}: the ${what} ${JSON.stringify(token)} of the English is missing from ${JSON.stringify(zh)}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('the Chinese text does not leave English prose untranslated', () => {
  // A run of four or more ordinary English words outside identifiers would be a sentence left in English; the few
  // phrases quoted verbatim (WeChat's own errcode texts, FastAPI's 422 text, a shell command) are allowed.
  const QUOTED = ['invalid code', 'code been used', 'invalid appid', 'Validation Error', 'apt-get install pocketsphinx pocketsphinx-en-us'];
  const english = names.filter((name) => {
    let zh: string = ERRORS_ZH[name];
    for (const q of QUOTED) zh = zh.replaceAll(q, '');
    return /\b[a-z]+ [a-z]+ [a-z]+ [a-z]+\b/i.test(zh);
  });
  assert.deepEqual(english.map((name) => `${name}: ${ERRORS_ZH[name]}`), []);
});
