// Conformance: Moments — posts of every kind as TimelineObject XML, the timeline of friends' posts (newest first,
// paged by max_id, each post once), visibility by friends, labels and hidden lists, likes and comments only the
// commenter's friends see, replies, deleting; refusals change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DriverSession } from '../driver.ts';
import { parse } from './msg.ts';
import { call, expectError, logIn, wechatRet, type ConformanceSubject, type Make, withSubject } from './subject.ts';

const textPost = (wxid: string, text: string) =>
  `<TimelineObject><id>0</id><username>${wxid}</username><createTime>0</createTime><contentDesc>${text}</contentDesc>` +
  '<ContentObject><contentStyle>2</contentStyle><mediaList></mediaList></ContentObject></TimelineObject>';

const media = (i: number) => `<media><id>${i}</id><type>2</type><url type="1">https://szmmsns.qpic.cn/mmsns/pic${i}/0</url><thumb type="1">https://szmmsns.qpic.cn/mmsns/pic${i}/150</thumb></media>`;
const picturePost = (wxid: string, pictures: number) =>
  `<TimelineObject><id>0</id><username>${wxid}</username><contentDesc>看图</contentDesc><ContentObject><contentStyle>1</contentStyle>` +
  `<mediaList>${Array.from({ length: pictures }, (_, i) => media(i)).join('')}</mediaList></ContentObject></TimelineObject>`;

/** Every post id of the timeline, following max_id to the end. */
async function wholeTimeline(session: DriverSession): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let maxId = '';
  let md5 = '';
  for (let pages = 1; pages < 1000; pages++) {
    const page = await call(session, '/sns/sns_timeline', { max_id: maxId, first_page_md5: md5 });
    if (pages === 1) md5 = page.firstPageMd5;
    ids.push(...page.objectList.map((o) => o.id));
    if (page.objectCount === 0) return { ids, pages };
    maxId = page.objectList.at(-1)!.id;
  }
  assert.fail('the timeline never ended');
}

const detailOf = async (session: DriverSession, objectId: string) => (await call(session, '/sns/sns_object_detail', { object_id: objectId })).object;

/** An account and friends of it: `accounts` logged in on their own instances, then simulated ones. */
async function circle(s: ConformanceSubject, accounts: readonly string[]) {
  const instances = [];
  for (const nickname of accounts) {
    const instance = await s.newInstance();
    const wxid = await logIn(s, instance, (await s.phone.createPerson({ nickname, friends: instances.map((i) => i.wxid) })).wxid);
    instances.push({ ...instance, wxid });
  }
  return instances;
}

export function snsConformance(make: Make): void {
  test('sns_post: text, pictures (base64 as the doc says), video and link posts come back completed as WeChat stores them', () => withSubject(make, async (s) => {
    const [me] = await circle(s, ['Alice']);
    const posted = await call(me!.session, '/sns/sns_post', { object_desc: textPost(me!.wxid, '今天天气不错') });
    const post = posted.snsObject;
    assert.match(post.id, /^[1-9]\d*$/);
    assert.deepEqual([post.username, post.nickname, post.likeCount, post.commentCount], [me!.wxid, 'Alice', 0, 0]);
    const stored = parse(Buffer.from(post.objectDesc.buffer!, 'base64').toString('utf8')).TimelineObject;
    assert.deepEqual([stored.id, stored.username, Number(stored.createTime), stored.contentDesc], [post.id, me!.wxid, post.createTime, '今天天气不错']);

    const pictures = await call(me!.session, '/sns/sns_post', { object_desc: Buffer.from(picturePost(me!.wxid, 3)).toString('base64') });
    assert.equal(parse(Buffer.from(pictures.snsObject.objectDesc.buffer!, 'base64').toString()).TimelineObject.ContentObject.mediaList.media.length, 3);
    const video = `<TimelineObject><username>${me!.wxid}</username><ContentObject><contentStyle>15</contentStyle><mediaList>${media(0)}</mediaList></ContentObject></TimelineObject>`;
    await call(me!.session, '/sns/sns_post', { object_desc: Buffer.from(video).toString('base64') });
    const link = '<TimelineObject><contentDesc>好文</contentDesc><ContentObject><contentStyle>3</contentStyle><contentUrl>https://example.com/a</contentUrl></ContentObject></TimelineObject>';
    await call(me!.session, '/sns/sns_post', { object_desc: Buffer.from(link).toString('base64') });

    const before = (await wholeTimeline(me!.session)).ids;
    assert.equal(before.length, 4);
    for (const bad of [picturePost(me!.wxid, 10), textPost('wxid_someoneelse0000', 'x'), '不是XML', textPost(me!.wxid, ''), '<TimelineObject><id>1</TimelineObject>']) {
      await expectError(call(me!.session, '/sns/sns_post', { object_desc: bad }), 'VALIDATION');
    }
    await expectError(call(me!.session, '/sns/sns_post', { object_desc: textPost(me!.wxid, 'x'), group_contact_tag_id_list: [5] }), 'LABEL_NOT_FOUND');
    await expectError(call(me!.session, '/sns/sns_post', { object_desc: textPost(me!.wxid, 'x'), with_user_list: ['wxid_nobody00000000'] }), 'NOT_IN_CONTACTS');
    assert.deepEqual((await wholeTimeline(me!.session)).ids, before, 'refused posts were not stored');
  }));

  test('the timeline: friends\' posts and mine, newest first; 200+ posts paged by max_id come each exactly once', () => withSubject(make, async (s) => {
    const [me] = await circle(s, ['Alice']);
    const friends: string[] = [];
    for (let i = 0; i < 3; i++) friends.push((await s.phone.createPerson({ nickname: `朋友${i}`, friends: [me!.wxid] })).wxid);
    const stranger = (await s.phone.createPerson({ nickname: '陌生人' })).wxid;
    const gone = (await s.phone.createPerson({ nickname: '删了我', friends: [me!.wxid] })).wxid;
    await s.phone.deleteFriend(gone, me!.wxid);
    await s.phone.postMoment(stranger, { content: 'not for Alice' });
    await s.phone.postMoment(gone, { content: 'not for Alice either: he deleted her' });

    const posted: string[] = [];
    for (let i = 0; i < 210; i++) {
      const author = i % 7 === 0 ? me!.wxid : friends[i % 3]!;
      posted.push(author === me!.wxid
        ? (await call(me!.session, '/sns/sns_post', { object_desc: textPost(me!.wxid, `第${i}条`) })).snsObject.id
        : await s.phone.postMoment(author, { content: `第${i}条` }));
      if (i % 50 === 0) s.advance(1000);
    }
    const first = await call(me!.session, '/sns/sns_timeline', {});
    assert.equal(first.objectCount, first.objectList.length);
    // Posts arriving while the client pages do not make any post appear twice.
    await s.phone.postMoment(friends[0]!, { content: 'a late one' });
    const { ids, pages } = await wholeTimeline(me!.session);
    assert.ok(pages > 10);
    assert.equal(ids.length, 211);
    assert.equal(new Set(ids).size, 211);
    assert.deepEqual(ids.slice(1), [...posted].reverse(), 'newest first, every post once');
    const again = await call(me!.session, '/sns/sns_timeline', {});
    assert.notEqual(again.firstPageMd5, first.firstPageMd5, 'the first page changed');
    assert.equal((await call(me!.session, '/sns/sns_timeline', {})).firstPageMd5, again.firstPageMd5, 'and is stable while nothing changes');
    await expectError(call(me!.session, '/sns/sns_timeline', { max_id: '123' }), 'VALIDATION');

    const page = await call(me!.session, '/sns/sns_userpage', { username: friends[1]! });
    assert.equal(page.objectTotalCount, 60);
    assert.ok(page.objectList.every((o) => o.username === friends[1]));
    assert.equal((await call(me!.session, '/sns/sns_userpage', { username: stranger })).objectCount, 0, 'a stranger\'s posts stay hidden');
  }));

  test('visibility: chosen friends, hidden friends, labels as they are when posting, private posts', () => withSubject(make, async (s) => {
    const [alice, bob, carol] = await circle(s, ['Alice', 'Bob', 'Carol']);
    const sees = async (viewer: typeof bob, id: string) => (await wholeTimeline(viewer!.session)).ids.includes(id);
    const onlyBob = (await call(alice!.session, '/sns/sns_post', { object_desc: textPost(alice!.wxid, 'for Bob'), group_user_list: [bob!.wxid] })).snsObject;
    const notBob = (await call(alice!.session, '/sns/sns_post', { object_desc: textPost(alice!.wxid, 'not Bob'), block_user_list: [bob!.wxid] })).snsObject;
    assert.deepEqual([await sees(bob, onlyBob.id), await sees(carol, onlyBob.id), await sees(bob, notBob.id), await sees(carol, notBob.id)], [true, false, false, true]);
    assert.deepEqual(onlyBob.groupUser, [{ string: bob!.wxid }], 'the author sees whom it was limited to');
    assert.equal((await detailOf(bob!.session, onlyBob.id)).groupUserCount, 0, 'others do not');
    assert.equal(wechatRet(await expectError(call(carol!.session, '/sns/sns_object_detail', { object_id: onlyBob.id }), 'SNS_OBJECT_NOT_FOUND')), -203);

    // Labels count as they stand when posting: someone labelled later does not see the older post.
    const label = (await call(alice!.session, '/label/add_contact_label', { label_name: '好友' })).labelPairList[0]!.labelId;
    await call(alice!.session, '/label/modify_contact_label_list', { username_list: [carol!.wxid], label_id_list: [label] });
    const labelled = (await call(alice!.session, '/sns/sns_post', { object_desc: textPost(alice!.wxid, 'for the label'), group_contact_tag_id_list: [label] })).snsObject;
    const hidden = (await call(alice!.session, '/sns/sns_post', { object_desc: textPost(alice!.wxid, 'hidden from the label'), black_contact_tag_id_list: [label] })).snsObject;
    await call(alice!.session, '/label/modify_contact_label_list', { username_list: [bob!.wxid], label_id_list: [label] });
    assert.deepEqual([await sees(carol, labelled.id), await sees(bob, labelled.id), await sees(carol, hidden.id), await sees(bob, hidden.id)], [true, false, false, true]);

    const mine = `<TimelineObject><contentDesc>只给自己</contentDesc><private>1</private><ContentObject><contentStyle>2</contentStyle></ContentObject></TimelineObject>`;
    const privatePost = (await call(alice!.session, '/sns/sns_post', { object_desc: mine })).snsObject;
    assert.deepEqual([await sees(alice, privatePost.id), await sees(bob, privatePost.id)], [true, false]);
  }));

  test('likes and comments: only the commenter\'s friends and the author see them; replies by id; who may delete what', () => withSubject(make, async (s) => {
    // Alice is friends with Bob and with Carol; Bob and Carol do not know each other.
    const [alice, bob] = await circle(s, ['Alice', 'Bob']);
    const carol = (await s.phone.createPerson({ nickname: 'Carol', friends: [alice!.wxid] })).wxid;
    const post = (await call(alice!.session, '/sns/sns_post', { object_desc: textPost(alice!.wxid, '周末去哪') })).snsObject.id;

    const carolComment = await s.phone.commentOnMoment(carol, post, '爬山吧');
    await s.phone.likeMoment(carol, post, true);
    await call(bob!.session, '/sns/sns_comment', { object_id: post, content: '好主意' });
    const liked = await call(bob!.session, '/sns/sns_like', { object_id: post, status: 1 });
    await call(bob!.session, '/sns/sns_like', { object_id: post, status: 1 });
    assert.deepEqual([liked.snsObject.likeFlag, liked.snsObject.likeCount], [1, 1], 'Bob sees his like, not Carol\'s');

    const bobView = await detailOf(bob!.session, post);
    assert.deepEqual(bobView.commentUserList.map((c) => [c.username, c.content]), [[bob!.wxid, '好主意']]);
    assert.deepEqual(bobView.likeUserList.map((l) => l.username), [bob!.wxid], 'liking twice is one like');
    const aliceView = await detailOf(alice!.session, post);
    assert.deepEqual(aliceView.commentUserList.map((c) => c.content), ['爬山吧', '好主意'], 'the author sees every comment');
    assert.deepEqual(aliceView.likeUserList.map((l) => l.username).sort(), [bob!.wxid, carol].sort());

    // Alice answers Carol's comment by its id: a reply shows only to friends of both, so Bob sees neither.
    const replied = await call(alice!.session, '/sns/sns_comment', { object_id: post, content: '好呀', reply_comment_id: String(carolComment) });
    const reply = replied.snsObject.commentUserList.at(-1)!;
    assert.deepEqual([reply.replyCommentId, reply.replyUsername], [carolComment, carol]);
    assert.deepEqual(await detailOf(bob!.session, post), bobView);
    await expectError(call(bob!.session, '/sns/sns_comment', { object_id: post, content: 'x', reply_comment_id: String(carolComment) }), 'SNS_COMMENT_NOT_FOUND');
    await expectError(call(bob!.session, '/sns/sns_delete_comment', { object_id: post, comment_id: String(carolComment) }), 'SNS_COMMENT_NOT_FOUND');
    const aliceComment = (await call(alice!.session, '/sns/sns_comment', { object_id: post, content: '我也去' })).snsObject.commentUserList.at(-1)!.commentId;
    const bobSees = await detailOf(bob!.session, post);
    assert.deepEqual(bobSees.commentUserList.map((c) => c.content), ['好主意', '我也去']);
    assert.equal(wechatRet(await expectError(call(bob!.session, '/sns/sns_delete_comment', { object_id: post, comment_id: String(aliceComment) }), 'SNS_NOT_AUTHOR')), 205);
    await expectError(call(bob!.session, '/sns/sns_delete', { object_id: post }), 'SNS_NOT_AUTHOR');
    await expectError(call(bob!.session, '/sns/sns_like', { object_id: post, status: 3 }), 'VALIDATION');
    assert.deepEqual(await detailOf(bob!.session, post), bobSees, 'refusals changed nothing');

    await call(alice!.session, '/sns/sns_delete_comment', { object_id: post, comment_id: String(carolComment) });
    await call(bob!.session, '/sns/sns_like', { object_id: post, status: 0 });
    await call(bob!.session, '/sns/sns_like', { object_id: post, status: 0 });
    const after = await detailOf(alice!.session, post);
    assert.deepEqual(after.commentUserList.map((c) => c.content), ['好主意', '好呀', '我也去']);
    assert.deepEqual(after.likeUserList.map((l) => l.username), [carol]);

    await call(alice!.session, '/sns/sns_delete', { object_id: post });
    await expectError(call(bob!.session, '/sns/sns_object_detail', { object_id: post }), 'SNS_OBJECT_NOT_FOUND');
    await expectError(s.phone.likeMoment(carol, post, true), 'SNS_OBJECT_NOT_FOUND');
  }));
}
