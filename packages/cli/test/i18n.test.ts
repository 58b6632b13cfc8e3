// The CLI's catalogs: every English key has a Chinese translation of the same kind, the language follows the locale
// variables, and commander's own errors come out in the catalog's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogs, languageOf } from '../src/i18n/index.ts';
import { translateCommanderError } from '../src/i18n/commander-texts.ts';

const CJK = /[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/;
/** Entries that read the same in both languages: column names that are field names, and a placeholder dash. */
const SAME_IN_BOTH = new Set(['app.columns.key', 'instance.columns.guid', 'instance.noAccount']);

type Tree = { readonly [key: string]: unknown };

/** Each leaf as [dotted key, value]; arrays are leaves. */
function leaves(tree: Tree, prefix = ''): Array<[string, unknown]> {
  return Object.entries(tree).flatMap(([key, value]): Array<[string, unknown]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value && typeof value === 'object' && !Array.isArray(value) ? leaves(value as Tree, path) : [[path, value]];
  });
}

/** What a leaf shows a reader: a string, a function called with placeholder values, or an array's items. */
function shown(value: unknown): string {
  if (typeof value === 'function') return String((value as (...args: unknown[]) => unknown)(...Array.from({ length: value.length }, (_, i) => `«${i}»`)));
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

test('every English message has a Chinese translation of the same shape, and it is Chinese', () => {
  const en = new Map(leaves(catalogs.en));
  const zh = new Map(leaves(catalogs['zh-CN']));
  const problems: string[] = [];
  for (const [key, value] of en) {
    const other = zh.get(key);
    if (other === undefined) {
      problems.push(`${key}: no translation`);
      continue;
    }
    if (typeof other !== typeof value) problems.push(`${key}: ${typeof value} in English, ${typeof other} in Chinese`);
    else if (typeof value === 'function' && (other as () => unknown).length !== value.length) problems.push(`${key}: takes ${value.length} values in English, ${(other as () => unknown).length} in Chinese`);
    else if (Array.isArray(value) && (other as unknown[]).length !== value.length) problems.push(`${key}: ${value.length} items in English, ${(other as unknown[]).length} in Chinese`);
    else if (!SAME_IN_BOTH.has(key) && !CJK.test(shown(other))) problems.push(`${key}: not translated (${JSON.stringify(shown(other))})`);
    // every value the English sentence shows, the Chinese one shows too
    if (typeof value === 'function' && typeof other === 'function') {
      for (let i = 0; i < value.length; i++) if (!shown(other).includes(`«${i}»`)) problems.push(`${key}: the Chinese text drops value ${i}`);
    }
  }
  for (const key of zh.keys()) if (!en.has(key)) problems.push(`${key}: in Chinese only`);
  assert.deepEqual(problems, []);
});

test('the language: LC_ALL, then LC_MESSAGES, then LANG; any zh locale is Chinese, everything else English', () => {
  assert.equal(languageOf({ LANG: 'zh_CN.UTF-8' }), 'zh-CN');
  assert.equal(languageOf({ LANG: 'zh_CN' }), 'zh-CN');
  assert.equal(languageOf({ LANG: 'zh_TW.UTF-8' }), 'zh-CN');
  assert.equal(languageOf({ LANG: 'zh' }), 'zh-CN');
  assert.equal(languageOf({ LANG: 'en_US.UTF-8' }), 'en');
  assert.equal(languageOf({ LANG: 'C' }), 'en');
  assert.equal(languageOf({ LANG: 'C.UTF-8' }), 'en');
  assert.equal(languageOf({}), 'en');
  assert.equal(languageOf({ LANG: 'zhx_XX' }), 'en');
  assert.equal(languageOf({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'zh-CN');
  assert.equal(languageOf({ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'C' }), 'en');
  assert.equal(languageOf({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' }), 'zh-CN');
  assert.equal(languageOf({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }), 'en');
  assert.equal(languageOf({ LANG: 'zh_CN.UTF-8', LC_ALL: '' }), 'zh-CN', 'an empty variable is unset');
});

test('commander\'s parse errors are rebuilt from the catalog; an unknown shape passes through', () => {
  const zh = catalogs['zh-CN'].help;
  const en = catalogs.en.help;
  assert.equal(translateCommanderError("error: unknown command 'frob'\n", zh), "错误：未知命令 'frob'\n");
  assert.equal(translateCommanderError("error: unknown command 'instanc'\n(Did you mean instance?)\n", zh), "错误：未知命令 'instanc'\n（你是不是想输入 instance？）\n");
  assert.equal(translateCommanderError("error: unknown option '--jsn'\n(Did you mean one of --json, --js?)\n", zh), "错误：未知选项 '--jsn'\n（你是不是想输入以下之一：--json, --js？）\n");
  assert.equal(translateCommanderError("error: missing required argument 'guid'\n", zh), "错误：缺少必需参数 'guid'\n");
  assert.equal(translateCommanderError("error: option '--url <url>' argument missing\n", zh), "错误：选项 '--url <url>' 缺少值\n");
  assert.equal(translateCommanderError("error: too many arguments for 'list'. Expected 0 arguments but got 1.\n", zh), "错误：'list' 的参数过多，应为 0 个，实际 1 个。\n");
  assert.equal(translateCommanderError('error: too many arguments. Expected 1 argument but got 2.\n', zh), '错误：参数过多，应为 1 个，实际 2 个。\n');
  assert.equal(translateCommanderError('error: something commander 15 says\n', zh), 'error: something commander 15 says\n');
  // English goes through the same code and comes out as commander wrote it
  for (const text of ["error: unknown command 'instanc'\n(Did you mean instance?)\n", "error: too many arguments for 'list'. Expected 1 argument but got 2.\n"]) {
    assert.equal(translateCommanderError(text, en), text);
  }
});
