// Default nicknames in the sandbox: people created without one get a name nobody in their app's world has — the
// list's names first, then numbered ones — so two default people are never confused; other apps' worlds do not count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTenant, startHarness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';

/** The list in driver/sandbox/contact/people.ts. */
const LIST = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄婷', '周杰', '吴昊', 'Alice', 'Bob', 'Carol', 'David'];

test('default nicknames are unique in an app\'s world: the list first, then the list\'s names numbered from 2', async () => {
  const h = await startHarness();
  try {
    const other = await createTenant(h);
    // An explicit name is the caller's choice (duplicates allowed); defaults steer clear of it.
    const chosen = await ok(h.direct('/sandbox/people/create', { nickname: 'Alice' }));
    assert.equal(chosen.nickname, 'Alice');
    assert.equal((await ok(h.direct('/sandbox/people/create', { nickname: 'Alice' }))).nickname, 'Alice');

    const names: string[] = [];
    for (let i = 0; i < 40; i++) names.push((await ok(h.direct('/sandbox/people/create', {}))).nickname);
    // Someone scanning a login QR as a new person is named the same way.
    const guid = await h.createInstance();
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    names.push((await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan' }))).nick_name);

    assert.equal(new Set(names).size, names.length, `repeated: ${names.join(', ')}`);
    assert.ok(!names.includes('Alice'), 'a default never takes a name already in the world');
    assert.deepEqual(new Set(names.slice(0, LIST.length - 1)), new Set(LIST.filter((n) => n !== 'Alice')), 'the list\'s free names come first');
    for (const name of names.slice(LIST.length - 1)) {
      const match = /^(.*?)([1-9]\d*)$/.exec(name);
      assert.ok(match && LIST.includes(match[1]!) && Number(match[2]) >= 2, `numbered after the list: ${name}`);
    }
    const listed = (await ok(h.direct('/sandbox/people/list', { limit: 1000 }))).people as Array<{ nickname: string }>;
    assert.equal(listed.filter((p) => p.nickname !== 'Alice').length, new Set(listed.map((p) => p.nickname).filter((n) => n !== 'Alice')).size);

    // Another app's world starts from the whole list again: names are unique per world, not per server.
    const theirs: string[] = [];
    for (let i = 0; i < LIST.length; i++) theirs.push((await ok(h.direct('/sandbox/people/create', {}, other))).nickname);
    assert.deepEqual(new Set(theirs), new Set(LIST));
  } finally {
    await h.close();
  }
});
