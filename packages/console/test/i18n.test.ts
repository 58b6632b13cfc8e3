// The message catalogs: every English message has a real Chinese translation (not empty, not left in English, not a
// placeholder, with the same parameters), the browser's preference picks the language, and components carry no
// hard-coded text of their own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/contract';
import { en } from '../src/i18n/en.ts';
import { CATALOGS, pickLocale } from '../src/i18n/locale.ts';
import { zhCN } from '../src/i18n/zh-CN.ts';

type Tree = { readonly [key: string]: unknown };

/** Every message of a catalog by its dotted path. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') for (const [p, v] of leaves(value as Tree, path)) out.set(p, v);
    else out.set(path, value);
  }
  return out;
}

/** JSX attributes whose values are read or heard by people. */
const TEXT_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description']);

/** Messages that read the same in both languages on purpose. */
const SAME_IN_BOTH = new Set<string>([]);
/** Chinese messages that may lack Chinese characters: punctuation around values only (full-width in Chinese). */
const WITHOUT_HAN = new Set<string>(['faults.unavailable', 'errors.field']);

const HAN = /\p{Script=Han}/u;
const PLACEHOLDER = /^(todo|tbd|fixme|xxx+|translate( me)?|untranslated|\?+|…|\.+|-+|_+|n\/a)$/i;

/** Calls a message function with recognisable values, recording which parameters it reads. */
function render(message: (params: never) => string): { text: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const proxy = new Proxy({}, {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      // Numbers, so plural choices and arithmetic work; distinct, so each can be found in the text.
      const value = 7001 + [...params.keys(), key].indexOf(key);
      params.set(key, String(value));
      return value;
    },
  });
  return { text: (message as (p: unknown) => string)(proxy), params };
}

test('zh-CN translates every English message: present, same kind, not empty, not English, not a placeholder', () => {
  const english = leaves(en);
  const chinese = leaves(zhCN as unknown as Tree);
  assert.deepEqual([...chinese.keys()].filter((k) => !english.has(k)), [], 'zh-CN has messages English lacks');
  const problems: string[] = [];
  for (const [key, source] of english) {
    const target = chinese.get(key);
    if (target === undefined) { problems.push(`${key}: missing`); continue; }
    if (typeof target !== typeof source) { problems.push(`${key}: ${typeof target} where English has a ${typeof source}`); continue; }
    let text: string;
    let sourceText: string;
    if (typeof source === 'function') {
      const a = render(source as (p: never) => string);
      const b = render(target as (p: never) => string);
      sourceText = a.text;
      text = b.text;
      const missing = [...a.params.keys()].filter((p) => !b.params.has(p));
      const extra = [...b.params.keys()].filter((p) => !a.params.has(p));
      if (missing.length || extra.length) problems.push(`${key}: parameters differ (zh-CN lacks ${missing.join(',') || '-'}, adds ${extra.join(',') || '-'})`);
      for (const [name, value] of b.params) if (!b.text.includes(value)) problems.push(`${key}: reads {${name}} but does not show it`);
    } else {
      sourceText = String(source);
      text = String(target);
    }
    if (text.trim() === '') problems.push(`${key}: empty`);
    else if (PLACEHOLDER.test(text.trim()) || /\b(TODO|FIXME|TBD)\b/.test(text) || text.trim() === key.split('.').pop()) problems.push(`${key}: placeholder "${text}"`);
    else if (text === sourceText && !SAME_IN_BOTH.has(key)) problems.push(`${key}: same as English "${text}"`);
    else if (!HAN.test(text) && !WITHOUT_HAN.has(key)) problems.push(`${key}: no Chinese in "${text}"`);
    if (sourceText.trim() === '') problems.push(`${key}: English is empty`);
  }
  assert.deepEqual(problems, []);
});

test('both catalogs describe every notify type and msg type of the contract', () => {
  for (const catalog of Object.values(CATALOGS)) {
    for (const type of Object.values(NOTIFY_TYPES)) assert.ok((catalog.notify as Record<number, string>)[type], `notify ${type}`);
    for (const type of Object.values(MSG_TYPES)) assert.ok((catalog.msgType as Record<number, string>)[type], `msg type ${type}`);
  }
});

test('the language: the stored choice, else the first browser language we have, else English', () => {
  assert.equal(pickLocale(null, ['zh-CN', 'en']), 'zh-CN');
  assert.equal(pickLocale(null, ['zh']), 'zh-CN');
  assert.equal(pickLocale(null, ['zh-TW', 'en-US']), 'zh-CN');
  assert.equal(pickLocale(null, ['en-US', 'zh-CN']), 'en');
  assert.equal(pickLocale(null, ['fr-FR', 'zh-CN']), 'zh-CN', 'a language we lack falls through to the next preference');
  assert.equal(pickLocale(null, ['fr-FR', 'de']), 'en');
  assert.equal(pickLocale(null, []), 'en');
  assert.equal(pickLocale('en', ['zh-CN']), 'en', 'a remembered choice wins over the browser');
  assert.equal(pickLocale('zh-CN', ['en-US']), 'zh-CN');
  assert.equal(pickLocale('klingon', ['zh-CN']), 'zh-CN', 'a stored value that is no language is ignored');
});

test('components carry no hard-coded text: JSX text and text attributes come from the catalog', () => {
  const dir = new URL('../src/components/', import.meta.url).pathname;
  const words = /[A-Za-z\p{Script=Han}]{2,}/u;
  const found: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tsx'))) {
    const source = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const report = (node: ts.Node, text: string) => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${file}:${line + 1}: ${text.trim()}`);
    };
    const visit = (node: ts.Node): void => {
      // Text between tags, a literal string as a child ({'…'}), and the attributes people read or hear.
      if (ts.isJsxText(node) && words.test(node.text)) report(node, node.text);
      if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteralLike(node.expression) && ts.isJsxElement(node.parent) && words.test(node.expression.text)) {
        report(node, node.expression.text);
      }
      if (ts.isJsxAttribute(node) && TEXT_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
        const value = ts.isStringLiteral(node.initializer) ? node.initializer
          : ts.isJsxExpression(node.initializer) && node.initializer.expression && ts.isStringLiteralLike(node.initializer.expression) ? node.initializer.expression : undefined;
        if (value && words.test(value.text)) report(node, `${node.name.getText(source)}="${value.text}"`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(found, []);
});
