// Conformance: what any column must carry unchanged — 1 MiB JSON and binary payloads, unicode (emoji, CJK, RTL,
// combining marks, NUL-free control characters) and unix-ms times from 0 to Number.MAX_SAFE_INTEGER.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appRecord, idSequence, instanceRecord, personRecord, seedApp, withStore, type StoreFactory } from './subject.ts';
import { voiceJob } from './media-voice-pacing.ts';

const MIB = 1 << 20;

/** Every control character but NUL, which text columns of some engines (PostgreSQL) refuse. */
const CONTROL_CHARS = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('') + '\u007f\u0085\u2028\u2029';
/** Text WeChat users write: emoji (ZWJ sequences, flags, skin tones), CJK, RTL, combining marks, astral-plane CJK. */
const UNICODE = `😀👨‍👩‍👧‍👦🇨🇳👍🏽 微信群聊「周末」 中文繁體 日本語 한국어 مرحبا עברית é (e\u0301) 𠀋𡈽 ${CONTROL_CHARS} '"\\%_`;

/** A JSON document of at least `bytes` bytes, nested and unicode-laden so nothing can take a shortcut. */
function largeJson(bytes: number): { items: Array<{ n: number; text: string; nested: { ok: boolean; list: number[] } }> } {
  const items = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const item = { n, text: `${n} ${UNICODE}`, nested: { ok: n % 2 === 0, list: [n, -n - 1, n / 4] } };
    size += JSON.stringify(item).length;
    items.push(item);
  }
  return { items };
}

/** Times a column must round-trip exactly: the epoch, both sides of 32-bit limits, year 9999, the largest safe integer. */
const TIMES = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 1_733_558_400_000, 253_402_300_799_999, Number.MAX_SAFE_INTEGER];

export function payloadConformance(make: StoreFactory): void {
  test('1 MiB JSON round-trips unchanged through events, the relay mirror, the send queue and pinned messages', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const data = largeJson(MIB);
    assert.ok(JSON.stringify(data).length >= MIB);
    const [event] = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data }], 1, idSequence('e'));
    assert.deepEqual((await store.events.get(event!.id))?.data, data);
    await store.relay.mirror.upsert({ guid: 'g1', username: 'wxid_big', kind: 'contact', data, labelIds: [], updatedAt: 1 });
    assert.deepEqual((await store.relay.mirror.get('g1', 'wxid_big'))?.data, data);
    await store.sendPacing.enqueue({ queueId: 'q1', appId: 'app-a', guid: 'g1', path: '/msg/send_text', request: data, recipient: 'wxid_b', enqueuedAt: 1, state: 'queued', answer: 'queued', waiter: null });
    assert.deepEqual((await store.sendPacing.pending())[0]?.request, data);
    await store.sandbox.rooms.putTopMsg({ appId: 'app-a', roomId: 'r@chatroom', msgId: '1', summary: '', msgInfo: data, operatorWxid: 'wxid_a', createdAt: 1 });
    assert.deepEqual((await store.sandbox.rooms.topMsgs('app-a', 'r@chatroom'))[0]?.msgInfo, data);
  }));

  test('1 MiB of text and of binary round-trip byte for byte', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const text = UNICODE.repeat(Math.ceil(MIB / UNICODE.length));
    const message = await store.sandbox.messages.insert({
      appId: 'app-a', msgId: '1', localId: 1, clientMsgId: 1, session: 'a|b', fromWxid: 'a', toUsername: 'b', chatroom: '', msgType: 1, appType: 0,
      content: text, source: '', pushDesc: '', refersTo: '', createdAt: 1,
    });
    assert.equal((await store.sandbox.messages.get('app-a', message.msgId))?.content, text);
    const bytes = Buffer.alloc(MIB);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 8)) & 0xff;
    await store.voice.insert(voiceJob('v1'));
    await store.voice.addBlock('g1', 'v1', 0, bytes);
    assert.ok((await store.voice.blocks('g1', 'v1')).equals(bytes));
  }));

  test('unicode and control characters round-trip in keys and values, and are matched exactly', () => withStore(make, async (store) => {
    await store.apps.insert(appRecord('app-u', { name: UNICODE }));
    assert.equal((await store.apps.findById('app-u'))?.name, UNICODE);
    await store.instances.insert(instanceRecord('g1', 'app-u', { payload: UNICODE, notifyUrl: 'https://例子.测试/回调?q=😀' }));
    assert.deepEqual([(await store.instances.get('g1'))?.payload, (await store.instances.get('g1'))?.notifyUrl], [UNICODE, 'https://例子.测试/回调?q=😀']);

    const wxid = 'wxid_😀中文';
    await store.sandbox.people.insert(personRecord('app-u', wxid, { nickname: UNICODE, signature: CONTROL_CHARS, alias: '微信号_1' }));
    assert.equal((await store.sandbox.people.get('app-u', wxid))?.nickname, UNICODE);
    assert.equal((await store.sandbox.people.findBy('app-u', 'alias', '微信号_1'))?.wxid, wxid);
    assert.deepEqual(await store.sandbox.people.nicknamesIn('app-u', [UNICODE]), [UNICODE]);
    assert.deepEqual(await store.sandbox.people.nicknamesStartingWith('app-u', '😀👨'), [UNICODE]);
    assert.deepEqual(await store.sandbox.people.nicknamesStartingWith('app-u', '%'), [], 'LIKE wildcards are plain characters');

    const label = await store.sandbox.labels.create('app-u', wxid, '家人 👨‍👩‍👧');
    assert.equal((await store.sandbox.labels.byName('app-u', wxid, '家人 👨‍👩‍👧'))?.labelId, label.labelId);
    assert.equal(await store.sandbox.labels.byName('app-u', wxid, '家人 👨‍👩'), undefined);
    const [event] = await store.events.append('app-u', 'g1', [{ notifyType: 1010, data: { content: UNICODE } }], 1, idSequence('e'));
    assert.deepEqual((await store.events.get(event!.id))?.data, { content: UNICODE });
  }));

  test('unix-ms times round-trip exactly at every boundary, and compare as numbers', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    for (const [i, at] of TIMES.entries()) {
      await store.instances.insert(instanceRecord(`g${i}`, 'app-a', { createdAt: at, updatedAt: at }));
      await store.sandbox.deviceLogins.record('app-a', `g${i}`, 'wxid_a', at);
    }
    for (const [i, at] of TIMES.entries()) {
      const instance = await store.instances.get(`g${i}`);
      assert.deepEqual([instance?.createdAt, instance?.updatedAt], [at, at], `instance time ${at}`);
      assert.equal(await store.sandbox.deviceLogins.firstLogin(`g${i}`, 'wxid_a'), at, `device login ${at}`);
    }
    assert.deepEqual((await store.instances.listByApp('app-a')).map((i) => i.createdAt), TIMES, 'ordered numerically, not as text');

    await store.quota.setLock('g1', Number.MAX_SAFE_INTEGER);
    await store.quota.setLock('g2', 2 ** 32 + 1);
    assert.deepEqual((await store.quota.activeLocks(2 ** 32)).map((l) => l.lockedUntil).sort((a, b) => a - b), [2 ** 32 + 1, Number.MAX_SAFE_INTEGER]);
    assert.deepEqual((await store.quota.activeLocks(2 ** 32 + 1)).map((l) => l.lockedUntil), [Number.MAX_SAFE_INTEGER], 'a lock ends exactly at its time');
    await store.signingSecrets.add('app-a', 'whsec', 0);
    await store.signingSecrets.expireCurrent('app-a', Number.MAX_SAFE_INTEGER);
    assert.deepEqual(await store.signingSecrets.active('app-a', Number.MAX_SAFE_INTEGER - 1), [{ secret: 'whsec', createdAt: 0, expiresAt: Number.MAX_SAFE_INTEGER }]);
    assert.deepEqual(await store.signingSecrets.active('app-a', Number.MAX_SAFE_INTEGER), []);
  }));
}
