// Conformance: the sandbox world's message archive (seq order per app, conversations, what each person sees, marks,
// emojis, send restrictions) and Moments (timeline seq, visibility lists, comment ids per post).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NewSandboxMessage } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const SANDBOX_MESSAGE_METHODS = [
  'sandbox.messages.insert', 'sandbox.messages.get', 'sandbox.messages.markRevoked', 'sandbox.messages.listSession', 'sandbox.messages.listPrivateOf',
  'sandbox.messages.listVisibleTo', 'sandbox.messages.maxSeq', 'sandbox.messages.setOfflineMark', 'sandbox.messages.takeOfflineMark',
  'sandbox.messages.lastSeq', 'sandbox.messages.setReadMark', 'sandbox.messages.readMark', 'sandbox.messages.putEmoji', 'sandbox.messages.getEmoji',
  'sandbox.messages.setSendRestriction', 'sandbox.messages.sendRestriction', 'sandbox.messages.insertWithCommit',
  'sandbox.moments.insert', 'sandbox.moments.get', 'sandbox.moments.markDeleted', 'sandbox.moments.page', 'sandbox.moments.addComment',
  'sandbox.moments.comments', 'sandbox.moments.removeComment',
] as const;

let nextMsg = 0;
/** A private message between two people, or a room message when `room` is given. */
function message(from: string, to: string, room = ''): NewSandboxMessage {
  const n = ++nextMsg;
  return {
    appId: 'app-a', msgId: `${7_000_000_000_000_000_000n + BigInt(n)}`, localId: n, clientMsgId: n, session: room || [from, to].sort().join('|'),
    fromWxid: from, toUsername: room || to, chatroom: room, msgType: 1, appType: 0, content: `hello ${n}`, source: '<msgsource />', pushDesc: `${from} : hello`,
    refersTo: '', createdAt: 1_700_000_000_000 + n,
  };
}

export function sandboxMessageConformance(make: StoreFactory): void {
  test('insertWithCommit archives with the commit, after the messages before it; a rollback keeps nothing', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const before = await store.sandbox.messages.insert(message('wxid_a', 'wxid_b'));
    const sent = message('wxid_b', 'wxid_a');
    await store.transaction((tx) => tx.sandbox.messages.insertWithCommit(sent));
    const archived = await store.sandbox.messages.get('app-a', sent.msgId);
    assert.deepEqual(archived, { ...sent, seq: archived!.seq, revokedAt: null });
    assert.ok(archived!.seq > before.seq);
    const dropped = message('wxid_a', 'wxid_b');
    await assert.rejects(store.transaction(async (tx) => {
      await tx.sandbox.messages.insertWithCommit(dropped);
      throw new Error('rolled back');
    }), /rolled back/);
    assert.equal(await store.sandbox.messages.get('app-a', dropped.msgId), undefined);
    const direct = message('wxid_a', 'wxid_c');
    await store.sandbox.messages.insertWithCommit(direct);
    assert.equal((await store.sandbox.messages.get('app-a', direct.msgId))?.content, direct.content, 'outside a transaction it archives at once');
  }));

  test('the archive numbers messages in insertion order over the app and lists conversations and private mail', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    assert.equal(await store.sandbox.messages.maxSeq('app-a'), 0);
    const ab = message('wxid_a', 'wxid_b');
    const first = await store.sandbox.messages.insert(ab);
    assert.deepEqual(first, { ...ab, seq: first.seq, revokedAt: null });
    assert.deepEqual(await store.sandbox.messages.get('app-a', ab.msgId), first, '64-bit ids stay exact as strings');
    const inRoom = await store.sandbox.messages.insert(message('wxid_a', '', 'r1@chatroom'));
    const ba = await store.sandbox.messages.insert(message('wxid_b', 'wxid_a'));
    const ac = await store.sandbox.messages.insert(message('wxid_c', 'wxid_a'));
    assert.ok(first.seq < inRoom.seq && inRoom.seq < ba.seq && ba.seq < ac.seq);
    assert.equal(await store.sandbox.messages.maxSeq('app-a'), ac.seq);
    assert.equal(await store.sandbox.messages.maxSeq('app-b'), 0);

    assert.deepEqual((await store.sandbox.messages.listSession('app-a', 'wxid_a|wxid_b', 0, 10)).map((m) => m.seq), [first.seq, ba.seq]);
    assert.deepEqual((await store.sandbox.messages.listSession('app-a', 'wxid_a|wxid_b', first.seq, 10)).map((m) => m.seq), [ba.seq]);
    assert.deepEqual((await store.sandbox.messages.listPrivateOf('app-a', 'wxid_a', 0, 10)).map((m) => m.seq), [first.seq, ba.seq, ac.seq]);
    assert.deepEqual((await store.sandbox.messages.listPrivateOf('app-a', 'wxid_a', 0, 2)).map((m) => m.seq), [first.seq, ba.seq]);
    assert.equal(await store.sandbox.messages.lastSeq('app-a', 'wxid_a|wxid_b'), ba.seq);
    assert.equal(await store.sandbox.messages.lastSeq('app-a', 'wxid_x|wxid_y'), 0);

    await store.sandbox.messages.markRevoked('app-a', ab.msgId, 1_800_000_000_000);
    assert.equal((await store.sandbox.messages.get('app-a', ab.msgId))?.revokedAt, 1_800_000_000_000);
    await assert.rejects(store.sandbox.messages.insert(ab), 'a msg_id is archived once');
  }));

  test('what a person sees: their private messages and the WeChat and OpenIM rooms they are in now', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await store.sandbox.rooms.insert({
      appId: 'app-a', roomId: 'r1@chatroom', name: '', ownerWxid: 'wxid_a', announcement: '', announcementEditor: '', announcementAt: 0, version: 1,
      infoVersion: 1, qrcodeIssuedAt: null, createdAt: 1,
    });
    await store.sandbox.openim.insertRoom({ appId: 'app-a', roomUsername: 'r2@im.chatroom', name: 'ext', ownerUsername: 'wxid_a', version: 1, createdAt: 1 });
    const mine = await store.sandbox.messages.insert(message('wxid_b', 'wxid_a'));
    const others = await store.sandbox.messages.insert(message('wxid_b', 'wxid_c'));
    const room = await store.sandbox.messages.insert(message('wxid_b', '', 'r1@chatroom'));
    const openim = await store.sandbox.messages.insert(message('wxid_b', '', 'r2@im.chatroom'));
    assert.deepEqual((await store.sandbox.messages.listVisibleTo('app-a', 'wxid_a', 0, 10)).map((m) => m.seq), [mine.seq]);
    await store.sandbox.rooms.addMember({
      appId: 'app-a', roomId: 'r1@chatroom', wxid: 'wxid_a', displayName: '', inviterWxid: 'wxid_a', admin: false, showNames: false, folded: false,
      muted: false, pinned: false, joinedAt: 1,
    });
    await store.sandbox.openim.addMember('app-a', 'r2@im.chatroom', 'wxid_a', 1);
    assert.deepEqual((await store.sandbox.messages.listVisibleTo('app-a', 'wxid_a', 0, 10)).map((m) => m.seq), [mine.seq, room.seq, openim.seq]);
    assert.deepEqual((await store.sandbox.messages.listVisibleTo('app-a', 'wxid_a', mine.seq, 1)).map((m) => m.seq), [room.seq]);
    assert.ok(!(await store.sandbox.messages.listVisibleTo('app-a', 'wxid_a', 0, 10)).some((m) => m.seq === others.seq));
  }));

  test('offline marks are taken once; read marks only move forward; send restrictions lift at 0', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    assert.equal(await store.sandbox.messages.takeOfflineMark('app-a', 'wxid_a'), undefined);
    await store.sandbox.messages.setOfflineMark('app-a', 'wxid_a', 5);
    await store.sandbox.messages.setOfflineMark('app-a', 'wxid_a', 7);
    assert.equal(await store.sandbox.messages.takeOfflineMark('app-a', 'wxid_a'), 7);
    assert.equal(await store.sandbox.messages.takeOfflineMark('app-a', 'wxid_a'), undefined);

    assert.equal(await store.sandbox.messages.readMark('app-a', 'wxid_a', 'wxid_a|wxid_b'), 0);
    await store.sandbox.messages.setReadMark('app-a', 'wxid_a', 'wxid_a|wxid_b', 9);
    await store.sandbox.messages.setReadMark('app-a', 'wxid_a', 'wxid_a|wxid_b', 4);
    assert.equal(await store.sandbox.messages.readMark('app-a', 'wxid_a', 'wxid_a|wxid_b'), 9);
    assert.equal(await store.sandbox.messages.readMark('app-a', 'wxid_b', 'wxid_a|wxid_b'), 0);

    assert.equal(await store.sandbox.messages.sendRestriction('app-a', 'wxid_a'), 0);
    await store.sandbox.messages.setSendRestriction('app-a', 'wxid_a', 1_900_000_000_000);
    assert.equal(await store.sandbox.messages.sendRestriction('app-a', 'wxid_a'), 1_900_000_000_000);
    await store.sandbox.messages.setSendRestriction('app-a', 'wxid_a', 0);
    assert.equal(await store.sandbox.messages.sendRestriction('app-a', 'wxid_a'), 0);
  }));

  test('emojis: a later registration of the same md5 fills in only what the earlier one lacked', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    const byUrl = { appId: 'app-a', md5, size: 0, cdnUrl: '', aesKey: '', externUrl: 'https://e.example.com/1.gif', createdAt: 1 };
    assert.deepEqual(await store.sandbox.messages.putEmoji(byUrl), byUrl);
    const merged = await store.sandbox.messages.putEmoji({ ...byUrl, size: 2048, cdnUrl: 'cdn-1', aesKey: 'k1', externUrl: 'https://other', createdAt: 2 });
    assert.deepEqual(merged, { ...byUrl, size: 2048, cdnUrl: 'cdn-1', aesKey: 'k1' });
    assert.deepEqual(await store.sandbox.messages.getEmoji('app-a', md5), merged);
    assert.equal(await store.sandbox.messages.getEmoji('app-b', md5), undefined);
  }));

  test('Moments: seq strictly increasing, pages newest first by author, deleted posts hidden, comment ids per post', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const post = (objectId: string, author: string) => ({
      appId: 'app-a', objectId, authorWxid: author, objectDesc: `<TimelineObject><id>${objectId}</id></TimelineObject>`, withWxids: ['wxid_x'],
      allowedWxids: null, blockedWxids: [], createdAt: 100,
    });
    const p1 = await store.sandbox.moments.insert(post('13000000000000000001', 'wxid_a'));
    const p2 = await store.sandbox.moments.insert({ ...post('13000000000000000002', 'wxid_b'), allowedWxids: ['wxid_a'], blockedWxids: ['wxid_c'] });
    const p3 = await store.sandbox.moments.insert(post('13000000000000000003', 'wxid_a'));
    assert.deepEqual(p1, { ...post('13000000000000000001', 'wxid_a'), seq: p1.seq, deleted: false });
    assert.ok(p1.seq < p2.seq && p2.seq < p3.seq);
    assert.deepEqual((await store.sandbox.moments.get('app-a', '13000000000000000002')), p2);
    assert.deepEqual((await store.sandbox.moments.page('app-a', ['wxid_a', 'wxid_b'], Number.MAX_SAFE_INTEGER, 10)).map((m) => m.seq), [p3.seq, p2.seq, p1.seq]);
    assert.deepEqual((await store.sandbox.moments.page('app-a', ['wxid_a'], p3.seq, 10)).map((m) => m.seq), [p1.seq]);
    assert.deepEqual((await store.sandbox.moments.page('app-a', ['wxid_a', 'wxid_b'], Number.MAX_SAFE_INTEGER, 1)).map((m) => m.seq), [p3.seq]);
    assert.deepEqual(await store.sandbox.moments.page('app-a', [], Number.MAX_SAFE_INTEGER, 10), []);
    await store.sandbox.moments.markDeleted('app-a', '13000000000000000003');
    assert.equal((await store.sandbox.moments.get('app-a', '13000000000000000003'))?.deleted, true);
    assert.deepEqual((await store.sandbox.moments.page('app-a', ['wxid_a'], Number.MAX_SAFE_INTEGER, 10)).map((m) => m.seq), [p1.seq]);

    const like = { appId: 'app-a', momentSeq: p1.seq, authorWxid: 'wxid_b', kind: 'like' as const, content: '', replyCommentId: 0, replyWxid: '', createdAt: 200 };
    const c1 = await store.sandbox.moments.addComment(like);
    const c2 = await store.sandbox.moments.addComment({ ...like, kind: 'comment', content: '好看', replyCommentId: 1, replyWxid: 'wxid_b' });
    const other = await store.sandbox.moments.addComment({ ...like, momentSeq: p2.seq });
    assert.deepEqual([c1.commentId, c2.commentId, other.commentId], [1, 2, 1]);
    assert.deepEqual(c2, { ...like, kind: 'comment', content: '好看', replyCommentId: 1, replyWxid: 'wxid_b', commentId: 2 });
    await store.sandbox.moments.removeComment('app-a', p1.seq, 2);
    assert.deepEqual((await store.sandbox.moments.comments('app-a', p1.seq)).map((c) => c.commentId), [1]);
    await assert.rejects(store.sandbox.moments.addComment({ ...like, createdAt: 300 }), 'one like per person and post');
    await assert.rejects(store.sandbox.moments.addComment({ ...like, momentSeq: p3.seq + 1_000 }), 'no comment on a post that does not exist');
    const later = await store.sandbox.moments.addComment({ ...like, kind: 'comment', content: '再评' });
    assert.equal(later.commentId, 3, 'a removed comment id is not reused, and a refused one burns none');
    assert.deepEqual((await store.sandbox.moments.comments('app-a', p1.seq)).map((c) => c.commentId), [1, 3]);
  }));
}
