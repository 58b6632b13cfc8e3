// Choosing the answer language from Accept-Language, and the Chinese text of a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, ERRORS, ERRORS_ZH } from '@wxgate/contract';
import { errorText, languageOf } from './language.ts';

test('Accept-Language picks Chinese or English by q-value and order; anything else falls back', () => {
  assert.equal(languageOf(undefined, 'zh-CN'), 'zh-CN');
  assert.equal(languageOf('', 'en'), 'en');
  assert.equal(languageOf('en-US,en;q=0.9', 'zh-CN'), 'en');
  assert.equal(languageOf('zh-CN,zh;q=0.9,en;q=0.8', 'en'), 'zh-CN');
  assert.equal(languageOf('zh-TW', 'en'), 'zh-CN');
  assert.equal(languageOf('fr-FR, en;q=0.5, zh;q=0.7', 'en'), 'zh-CN');
  assert.equal(languageOf('zh;q=0, en', 'zh-CN'), 'en');
  assert.equal(languageOf('de, fr', 'en'), 'en');
  assert.equal(languageOf(['de', 'zh-Hans-CN'], 'en'), 'zh-CN');
});

test('a catalog failure is answered with its Chinese text; one with its own details keeps them after it', () => {
  assert.equal(errorText(new ApiError('UNKNOWN_INSTANCE'), 'zh-CN'), ERRORS_ZH.UNKNOWN_INSTANCE);
  assert.equal(errorText(new ApiError('UNKNOWN_INSTANCE'), 'en'), ERRORS.UNKNOWN_INSTANCE.message);
  const detailed = new ApiError('NOT_IN_CONTACTS', 'wxid_abc is not in the contacts of wxid_me (WeChat ret -4)');
  assert.equal(errorText(detailed, 'zh-CN'), `${ERRORS_ZH.NOT_IN_CONTACTS}（wxid_abc is not in the contacts of wxid_me (WeChat ret -4)）`);
  assert.equal(errorText(detailed, 'en'), detailed.message);
});
