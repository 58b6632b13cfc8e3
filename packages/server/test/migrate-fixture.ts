// A SQLite store with rows in every table, written through the server's own repositories, for the `wxgate migrate`
// tests: unicode, a 1 MiB event payload, a 1 MiB BLOB, sealed secrets, and AUTOINCREMENT ids past the last row.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretBox } from '../src/core/secrets/secret-box.ts';
import { DEFAULT_CALLBACK_OPTIONS } from '../src/storage/ports.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

export const UNICODE = '😀👨‍👩‍👧‍👦 微信群聊「周末」 日本語 مرحبا é (e\u0301) 𠀋 \t\n\'"\\%_';
export const PROXY = 'socks5://user:pässword@proxy.example:1080';
export const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const MIB = 1 << 20;

/** A 1 MiB BLOB with every byte value in it. */
export const BLOB = Buffer.from(Array.from({ length: MIB }, (_, i) => (i * 131 + (i >> 8)) & 0xff));
/** An event payload of at least 1 MiB. */
export const LARGE_PAYLOAD = { items: Array.from({ length: 9_000 }, (_, n) => ({ n, text: `${n} ${UNICODE}`, nested: { ok: n % 2 === 0 } })) };

/** A sealer with a fresh key: the migrated secrets must open with it on the PostgreSQL side. */
export const fixtureSealer = () => new SecretBox({ key: randomBytes(32), source: 'test key' });

const T = 1_733_558_400_000;

/**
 * Fills `<dataDir>/wxgate.db`. Answers the event ids (the large one first) and the sandbox message seqs. Every table
 * of the schema gets at least one row; the migration test checks that, so a new table needs a line here.
 */
export async function buildFixtureStore(dataDir: string, sealer: SecretBox): Promise<{ eventIds: string[] }> {
  const store = new SqliteStore(join(dataDir, 'wxgate.db'), { sealer });
  try {
    const app = 'app-a';
    await store.apps.insert({ id: app, appKey: 'wxg_key_a', name: `应用 ${UNICODE}`, secretHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', mode: 'standard', disabled: false, createdAt: T });
    await store.apps.insert({ id: 'app-b', appKey: 'wxg_key_b', name: 'raw', secretHash: 'scrypt$x', mode: 'raw', disabled: true, createdAt: T + 1 });
    const instance = {
      appId: app, runState: 'running' as const, loginWxid: 'wxid_a', clientType: 241, notifyUrl: 'https://例子.测试/回调', bridge: '', proxy: PROXY,
      isLongProxy: true, isLoginProxy: false, syncHistoryMsg: true, autoStart: true, payload: UNICODE, callbackOptions: DEFAULT_CALLBACK_OPTIONS,
      createdAt: T, updatedAt: T,
    };
    await store.instances.insert({ ...instance, guid: 'g1' });
    await store.instances.insert({ ...instance, guid: 'g2', loginWxid: null, proxy: '', runState: 'stopped' });
    await store.quota.recordCalls([{ guid: 'g1', at: T, calls: 3 }, { guid: 'g1', at: T + 1_000, calls: 1 }], [], 0);
    await store.quota.setLock('g2', T + 60_000);

    let next = 0;
    const ids = () => `evt-${++next}`;
    const events = await store.events.append(app, 'g1', [
      { notifyType: 1010, data: LARGE_PAYLOAD },
      { notifyType: 1010, data: { content: UNICODE, big: Number.MAX_SAFE_INTEGER } },
      { notifyType: 1002, data: {} },
    ], T, ids);
    await store.events.append(app, 'g2', [{ notifyType: 1010, data: { n: 1 } }], T + 5, ids);
    await store.events.recordDeliveries([
      { eventId: events[0]!.id, attempt: { eventId: events[0]!.id, attempt: 1, startedAt: T, durationMs: 3_000, statusCode: null, error: 'timeout', responseExcerpt: '' }, status: null },
      { eventId: events[0]!.id, attempt: { eventId: events[0]!.id, attempt: 2, startedAt: T + 10, durationMs: 5, statusCode: 200, error: null, responseExcerpt: UNICODE }, status: null },
    ]);
    await store.events.setCursor('g1', 'consumer-1', 2, T);
    await store.signingSecrets.add(app, SIGNING_SECRET, T);
    await store.media.secret('media-links', 'ab'.repeat(32), T);

    const cdn = {
      fileId: '3057020100044b3049', appId: app, ownerGuid: 'g1', mediaKind: 'image' as const, blobId: 'blob-1', keyVerifier: 'kv', md5: 'd41d8cd98f00b204e9800998ecf8427e',
      size: 123_456, cipherSize: 123_472, crc32: 4_294_967_295, width: 1920, height: 1080, durationMs: 0, fileName: '照片 😀.jpg', createdAt: T,
    };
    await store.media.insert({ ...cdn, rendition: 'original' });
    await store.media.insert({ ...cdn, rendition: 'thumb', blobId: 'blob-2', ownerGuid: null });

    await store.voice.insert({ voiceId: 'v1', guid: 'g1', appId: app, state: 'receiving', source: 'blocks', msgId: '', lengthMs: 2_000, nextSeq: 2,
      receivedBytes: MIB + 3, text: '', error: '', errorMessage: '', createdAt: T, updatedAt: T });
    await store.voice.addBlock('g1', 'v1', 0, BLOB);
    await store.voice.addBlock('g1', 'v1', 1, Buffer.from([0, 1, 255]));

    const pacing = { enabled: true, answer: 'queued' as const, minDelayMs: 800, maxDelayMs: 3_000, perMinute: 20, perDay: 2_000, quietStart: '23:00',
      quietEnd: '07:00', utcOffsetMinutes: 480, warmupDays: 3, massSendRecipients: 30 };
    await store.sendPacing.saveSettings('g1', pacing);
    await store.sendPacing.recordDeviceLogin('g1', 'wxid_a', T);
    for (const q of ['q1', 'q2', 'q3']) {
      await store.sendPacing.enqueue({ queueId: q, appId: app, guid: 'g1', path: '/msg/send_text', request: { content: UNICODE }, recipient: 'wxid_b', enqueuedAt: T, state: 'queued',
        ...(q === 'q2' ? { answer: 'blocking', waiter: 'node-1' } : { answer: 'queued', waiter: null }) });
    }
    await store.sendPacing.remove('q3'); // the AUTOINCREMENT high-water mark stays past the last row
    await store.sendPacing.recordSent('g1', { at: T, recipient: 'wxid_b' });
    await store.sendPacing.keepOutcome('b0', 'g1', { ok: false, error: { name: 'NOT_FRIEND', code: 40301, message: UNICODE, data: null } }, T);

    await store.wechatyTokens.insert({ id: 'wct_fixture', appId: app, guid: 'g1', tokenHash: 'ab'.repeat(32), createdAt: T });
    await store.ilinkBots.insert({ id: 'ilb_fixture', appId: app, guid: 'g1', tokenHash: 'cd'.repeat(32), userWxid: 'wxid_a', createdAt: T });
    await store.ilinkQrCodes.insert({ codeHash: 'ef'.repeat(32), createdAt: T, status: 'need_verifycode', reported: 'scaned', appId: app, guid: 'g1', botId: null,
      tokenNonce: null, verifyCodeHash: '01'.repeat(32), verifyFailures: 2, redirectHost: '127.0.0.1:8931', presentedBotIds: ['ilb_fixture'] });
    await store.ilinkLinks.save({ guid: 'g1', botToken: UNICODE, ilinkBotId: 'b1@im.bot', ilinkUserId: 'wxid_a', baseUrl: 'https://ilinkai.weixin.qq.com', updatesBuf: 'YnVm', createdAt: T });
    await store.ilinkLinks.setContextToken('g1', 'wxid_b', 'ctx-b', T);
    await store.ilinkLinks.setVoice('g1', '5001', { fileId: 'voice-fixture', aesKey: 'ab'.repeat(16) }, T);
    await store.relay.mappings.insert({ guid: 'g2', appId: app, upstreamGuid: 'up-1', notifyToken: 'tok-1', adopted: true, registeredNotifyUrl: '', createdAt: T });
    await store.relay.dedup.remember('g2', 'k1', T);
    await store.relay.dedup.remember('g2', 'k2', T + 1);
    await store.relay.mirror.upsert({ guid: 'g2', username: 'wxid_m', kind: 'contact', data: { NickName: UNICODE }, labelIds: [1, 2], updatedAt: T });
    await store.relay.mirror.setRoomMembers('g2', 'r@chatroom', [{ guid: 'g2', room: 'r@chatroom', username: 'wxid_m', data: {} }]);
    await store.relay.mirror.addMessage({ guid: 'g2', msgId: '1', direction: 'in', fromUsername: 'wxid_m', toUsername: 'wxid_a', msgType: 1, createTime: 1_700_000_000, data: { content: UNICODE } });
    await store.relay.mirror.addMessage({ guid: 'g2', msgId: '2', direction: 'out', fromUsername: 'wxid_a', toUsername: 'wxid_m', msgType: 1, createTime: 1_700_000_001, data: {} });
    await store.relay.mirror.takeInMessage({ guid: 'g2', msgId: '3', direction: 'in', fromUsername: 'wxid_m', toUsername: 'wxid_a', msgType: 1, createTime: 1_700_000_002, data: { msg_id: '3' } });

    await buildSandbox(store, app);
    return { eventIds: [...events.map((e) => e.id), 'evt-4'] };
  } finally {
    await store.close();
  }
}

async function buildSandbox(store: SqliteStore, app: string): Promise<void> {
  const s = store.sandbox;
  const person = { appId: app, alias: '', sex: 1, signature: UNICODE, country: 'CN', province: '广东', city: '深圳', phone: '', qq: '', bigHeadImgUrl: '',
    smallHeadImgUrl: '', needsVerification: true, kind: 'simulated' as const, createdAt: T };
  for (const wxid of ['wxid_a', 'wxid_b', 'wxid_c', 'wxid_😀']) await s.people.insert({ ...person, wxid, nickname: `${wxid} ${UNICODE}` });
  for (const contact of ['wxid_b', 'wxid_c', 'wxid_😀']) {
    await s.contacts.add({ appId: app, ownerWxid: 'wxid_a', contactWxid: contact, remark: '备注', pinned: false, addScene: 3, createdAt: T });
  }
  await s.contacts.remove(app, 'wxid_a', 'wxid_😀'); // the AUTOINCREMENT high-water mark stays past the last row
  const label = await s.labels.create(app, 'wxid_a', '家人 👨‍👩‍👧');
  await s.labels.setContactLabels(app, 'wxid_a', 'wxid_b', [label.labelId]);
  await s.strangerTickets.issue({ appId: app, viewerWxid: 'wxid_a', targetWxid: 'wxid_c', encryptUsername: 'v3_c@stranger', ticket: 'v4_c@stranger', expiresAt: T });
  await s.friendRequests.put({ appId: app, fromWxid: 'wxid_c', toWxid: 'wxid_a', encryptUsername: 'v3_c@stranger', ticket: 'v4', verifyContent: '我是C',
    scene: 3, state: 'pending', createdAt: T, expiresAt: T + 1 });
  await s.loginSessions.put({ guid: 'g1', appId: app, lastWxid: 'wxid_a', syncFailed: false,
    attempt: { kind: 'qr', uuid: 'u-1', status: 2, scannerWxid: 'wxid_a', verifyTicket: null, verifyPin: null, createdAt: T, expiresAt: T + 300_000 } });
  const message = { appId: app, localId: 1, clientMsgId: 2 ** 53 - 1, session: 'wxid_a|wxid_b', fromWxid: 'wxid_a', toUsername: 'wxid_b', chatroom: '',
    msgType: 1, appType: 0, content: UNICODE, source: '', pushDesc: '', refersTo: '', createdAt: T };
  await s.messages.insert({ ...message, msgId: '9000000001' });
  await s.messages.insert({ ...message, msgId: '9000000002', content: UNICODE.repeat(2_000) });
  await s.messages.markRevoked(app, '9000000001', T + 1);
  await s.messages.setReadMark(app, 'wxid_b', 'wxid_a|wxid_b', 2);
  await s.messages.putEmoji({ appId: app, md5: 'e'.repeat(32), size: 10, cdnUrl: 'http://cdn', aesKey: 'k', externUrl: '', createdAt: T });
  await s.messages.setSendRestriction(app, 'wxid_c', T + 10);
  await s.messages.setOfflineMark(app, 'wxid_b', 1);

  const room = 'r1@chatroom';
  await s.rooms.insert({ appId: app, roomId: room, name: `群 ${UNICODE}`, ownerWxid: 'wxid_a', announcement: '', announcementEditor: '', announcementAt: 0,
    version: 1, infoVersion: 1, qrcodeIssuedAt: null, createdAt: T });
  const member = { appId: app, roomId: room, displayName: '', inviterWxid: 'wxid_a', admin: false, showNames: true, folded: false, muted: false, pinned: false, joinedAt: T };
  await s.rooms.addMember({ ...member, wxid: 'wxid_a', admin: true });
  await s.rooms.addMember({ ...member, wxid: 'wxid_b' });
  await s.rooms.setSaved(app, room, 'wxid_a', true);
  await s.rooms.putInvite({ appId: app, roomId: room, inviteeWxid: 'wxid_c', inviterWxid: 'wxid_b', createdAt: T });
  await s.rooms.putTopMsg({ appId: app, roomId: room, msgId: '9000000002', summary: UNICODE, msgInfo: { a: 1 }, operatorWxid: 'wxid_a', createdAt: T });
  const moment = await s.moments.insert({ appId: app, objectId: '13000000000000000001', authorWxid: 'wxid_a', objectDesc: `<xml>${UNICODE}</xml>`,
    withWxids: ['wxid_b'], allowedWxids: null, blockedWxids: [], createdAt: T });
  await s.moments.addComment({ appId: app, momentSeq: moment.seq, authorWxid: 'wxid_b', kind: 'like', content: '', replyCommentId: 0, replyWxid: '', createdAt: T });
  await s.deviceLogins.record(app, 'g1', 'wxid_a', T);

  await s.thirdPartyApps.create({ appId: app, appid: 'wx1234567890abcdef', kind: 'mini_program', name: '小程序', iconUrl: '', pages: ['pages/index'], redirectUri: '',
    scopes: [], createdAt: T });
  await s.thirdPartyApps.putCode({ appId: app, code: 'code-1', appid: 'wx1234567890abcdef', wxid: 'wxid_a', kind: 'js_login', scope: '', expiresAt: T });
  await s.thirdPartyApps.putShortLink({ appId: app, token: 'tok', appid: 'wx1234567890abcdef', path: 'pages/index', title: '标题', createdBy: 'wxid_a', createdAt: T });
  await s.openim.insertCorporation({ appId: app, corpId: 'corp-1', name: '公司', fullName: '某某有限公司', openimAppid: 'oa', wordingId: 'w', createdAt: T });
  await s.openim.insertProfile({ appId: app, username: 'u1@openim', corpId: 'corp-1', realName: '张三', position: '经理', qrToken: 'qr-1', cardBlocked: false, createdAt: T });
  await s.openim.setMuted(app, 'wxid_a', 'u1@openim', true);
  await s.openim.insertRoom({ appId: app, roomUsername: 'r2@im.chatroom', name: '企业群', ownerUsername: 'u1@openim', version: 1, createdAt: T });
  await s.openim.addMember(app, 'r2@im.chatroom', 'u1@openim', T);
}
