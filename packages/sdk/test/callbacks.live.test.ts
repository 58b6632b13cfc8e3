// Real signed deliveries from a live wxgate: verifyWebhook accepts them (as `standardwebhooks` does) and rejects
// tampering, and parseMessageContent reads the XML the sandbox really sends for every kind of message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { Receiver, type Received } from '../../server/test/receiver.ts';
import { testVideo } from '../../server/test/system-programs.ts';
import { parseMessageContent, verifyWebhook, WebhookVerificationError, type MessageContent, type WxgateClient } from '../src/index.ts';
import { loggedIn, startLiveServer, type LiveServer } from './live-server.ts';

// 1×1 PNG and GIF: enough for the sandbox CDN to take them as an image and a sticker.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const GIF = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const dataUrl = (mime: string, b64: string) => `data:${mime};base64,${b64}`;

const ffmpegVideo = (): string | null => testVideo()?.toString('base64') ?? null;

describe('callbacks from a live server', () => {
  let live: LiveServer;
  let client: WxgateClient;
  let receiver: Receiver;
  let a: { guid: string; wxid: string };
  let b: { guid: string; wxid: string };
  let secret: string;

  /** The 1010 Bob's webhook got for a message id (or the first matching `match`). */
  const delivered = async (match: (r: Received) => boolean): Promise<Received> => {
    await receiver.until((all) => all.some(match));
    return receiver.received.find(match)!;
  };
  const newMsg = (msgId: string) => (r: Received) => r.json.guid === b.guid && r.json.notify_type === 1010 && r.json.data.msg_id === msgId;
  const parsedFor = async (msgId: string): Promise<MessageContent> => parseMessageContent((await delivered(newMsg(msgId))).json.data);

  before(async () => {
    live = await startLiveServer();
    client = live.client();
    receiver = await new Receiver().start();
    a = await loggedIn(client, 'Alice');
    b = await loggedIn(client, 'Bob');
    await client.call('/client/set_notify_url', { guid: b.guid, notify_url: receiver.url });
    await client.call('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid });
    await client.call('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid });
    secret = (await client.call('/events/get_signing_secrets', {})).secrets[0]!.secret;
  });
  after(async () => {
    await live.close();
    await receiver.close();
  });

  test('verifyWebhook accepts real deliveries, agrees with standardwebhooks, and rejects tampering', async () => {
    const sent = await client.call('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'signed 你好' });
    const got = await delivered(newMsg(sent.list[0]!.newMsgId));
    const headers = got.headers as Record<string, string>;
    const event = await verifyWebhook<{ content: string }>(headers, got.body, secret);
    assert.equal(event.notify_type, 1010);
    assert.equal(event.data.content, 'signed 你好');
    assert.deepEqual(new Webhook(secret).verify(got.body, headers), event, 'the reference library agrees');
    assert.deepEqual(await verifyWebhook(new Headers(headers), new TextEncoder().encode(got.body), ['whsec_AAAA', secret]), event);

    const reject = async (p: Promise<unknown>, reason: string) =>
      assert.rejects(p, (e: unknown) => e instanceof WebhookVerificationError && e.reason === reason);
    await reject(verifyWebhook(headers, got.body.replace('signed', 'forged'), secret), 'bad_signature');
    await reject(verifyWebhook(headers, got.body, `whsec_${Buffer.from('not the secret').toString('base64')}`), 'bad_signature');
    await reject(verifyWebhook({ ...headers, 'webhook-id': 'evt_other' }, got.body, secret), 'bad_signature');
    const sentAt = Number(headers['webhook-timestamp']);
    await reject(verifyWebhook(headers, got.body, secret, { now: sentAt + 301 }), 'stale_timestamp');
    await reject(verifyWebhook(headers, got.body, secret, { now: sentAt - 301 }), 'stale_timestamp');
    await reject(verifyWebhook({ ...headers, 'webhook-signature': undefined }, got.body, secret), 'missing_headers');
    assert.throws(() => new Webhook(secret).verify(got.body.replace('signed', 'forged'), headers), 'the reference library rejects it too');
  });

  test('verifyWebhook accepts both signatures during a secret rotation', async () => {
    const rotated = await client.call('/events/rotate_signing_secret', { grace_seconds: 60 });
    const secrets = (await client.call('/events/get_signing_secrets', {})).secrets.map((s) => s.secret);
    assert.equal(secrets.length, 2, JSON.stringify(rotated));
    const sent = await client.call('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'rotated' });
    const got = await delivered(newMsg(sent.list[0]!.newMsgId));
    assert.equal(String(got.headers['webhook-signature']).split(' ').length, 2);
    for (const s of secrets) assert.equal((await verifyWebhook(got.headers as Record<string, string>, got.body, s)).guid, b.guid);
  });

  test('parseMessageContent: text, location, card, link, mini-program, finder, quote, pat, revoke', async () => {
    const send = async <P extends Parameters<WxgateClient['call']>[0]>(path: P, body: Record<string, unknown>) =>
      (await client.request(path, { guid: a.guid, to_username: b.wxid, ...body })) as { list?: Array<{ newMsgId: string }>; newMsgId?: string };
    const idOf = (r: { list?: Array<{ newMsgId: string }>; newMsgId?: string }) => r.list?.[0]?.newMsgId ?? r.newMsgId!;

    const text = await send('/msg/send_text', { content: 'a < b & c' });
    assert.deepEqual(await parsedFor(idOf(text)), { kind: 'text', msgType: 1, text: 'a < b & c' });

    const loc = await parsedFor(idOf(await send('/msg/send_location', { latitude: 31.2304, longitude: 121.4737, title: '外滩', address: '中山东一路' })));
    assert.ok(loc.kind === 'location');
    assert.deepEqual([loc.latitude, loc.longitude, loc.poiName, loc.label, loc.fromUsername], [31.2304, 121.4737, '外滩', '中山东一路', a.wxid]);

    const card = await parsedFor(idOf(await send('/msg/send_share_card', { share_username: 'wxid_sharedperson01', share_nickname: '名片人' })));
    assert.ok(card.kind === 'card');
    assert.deepEqual([card.username, card.nickname], ['wxid_sharedperson01', '名片人']);

    const link = await parsedFor(idOf(await send('/msg/send_app_msg', {
      app_type: 5, appid: '', xml: '<appmsg appid="" sdkver="0"><title>Raw link</title><type>5</type><url>https://r.example/?a=1&amp;b=2</url></appmsg>',
    })));
    assert.ok(link.kind === 'link');
    assert.deepEqual([link.appType, link.title, link.url, link.fromUsername], [5, 'Raw link', 'https://r.example/?a=1&b=2', a.wxid]);

    const up = await client.call('/cloud/cdn_upload', { guid: a.guid, file_type: 1, url: dataUrl('image/png', PNG) });
    const mini = await parsedFor(idOf(await send('/msg/send_mini_app', {
      username: 'gh_miniprogram01@app', appid: 'wx0123456789abcdef', appname: 'Mini', title: 'Open me', page_path: 'pages/a.html',
      file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5,
    })));
    assert.ok(mini.kind === 'mini_program');
    assert.deepEqual([mini.appType, mini.title, mini.weAppId, mini.pagePath, mini.username], [33, 'Open me', 'wx0123456789abcdef', 'pages/a.html', 'gh_miniprogram01@app']);

    const finder = await parsedFor(idOf(await send('/msg/send_finder_video', {
      object_id: '1400000000000000001', username: 'v2_author@finder', nickname: 'Author', url: 'https://f.example/v', desc: 'clip',
    })));
    assert.ok(finder.kind === 'finder');
    assert.deepEqual([finder.objectId, finder.username, finder.desc, finder.mediaList[0]?.url], ['1400000000000000001', 'v2_author@finder', 'clip', 'https://f.example/v']);

    const quote = await parsedFor(idOf(await send('/msg/send_refer_msg', {
      content: 'replying', refer_msg: { msg_type: 1, msg_id: idOf(text), from_username: a.wxid, from_nickname: 'Alice', source: '', content: 'a < b & c' },
    })));
    assert.ok(quote.kind === 'quote');
    assert.deepEqual([quote.title, quote.refer.msgId, quote.refer.content, quote.refer.msgType], ['replying', idOf(text), 'a < b & c', 1]);

    const pat = await parsedFor(idOf(await send('/msg/send_pat', { patted_username: b.wxid })));
    assert.ok(pat.kind === 'pat');
    assert.deepEqual([pat.fromUsername, pat.pattedUsername], [a.wxid, b.wxid]);
    assert.match(pat.template, /拍了拍/);

    await client.call('/msg/revoke_msg', { guid: a.guid, to_username: b.wxid, msg_id: idOf(text) });
    const revoke = parseMessageContent((await delivered((r) => r.json.guid === b.guid && r.json.data?.msg_type === 10002 && r.json.data.content.includes('revokemsg'))).json.data);
    assert.ok(revoke.kind === 'revoke');
    assert.deepEqual([revoke.newMsgId, revoke.session], [idOf(text), a.wxid]);
    assert.match(revoke.replaceMsg, /撤回了一条消息/);
  });

  test('parseMessageContent: image, voice, video, file and emoji with the CDN fields to download them', async () => {
    const media = async (kind: 'image' | 'video' | 'file' | 'emoji' | 'voice', url?: string, extra: Record<string, unknown> = {}) =>
      parsedFor((await client.call('/sandbox/messages/send_media', { from_wxid: a.wxid, to_username: b.wxid, kind, ...(url ? { url } : {}), ...extra })).msg_id);

    const image = await media('image', dataUrl('image/png', PNG));
    assert.ok(image.kind === 'image');
    assert.match(image.cdnMidImgUrl, /^3057020100044b3049/);
    assert.match(image.aesKey, /^[0-9a-f]{32}$/);
    assert.ok(image.length > 0 && image.md5.length === 32);
    const got = await client.call('/cloud/cdn_download', { guid: b.guid, file_type: 2, file_id: image.cdnMidImgUrl, aes_key: image.aesKey, file_size: image.length });
    assert.ok(got.base64 || got.url, 'downloads with the parsed fields alone');

    const voice = await media('voice', undefined, { duration_ms: 1500 });
    assert.ok(voice.kind === 'voice');
    assert.equal(voice.voiceLength, 1500);
    assert.ok(voice.length > 0 && voice.voiceFormat === 4 && voice.fromUsername === a.wxid);

    const file = await media('file', dataUrl('text/plain', Buffer.from('hello file').toString('base64')), { file_name: 'n.txt' });
    assert.ok(file.kind === 'file');
    assert.deepEqual([file.appType, file.title, file.fileExt, file.totalLen], [6, 'n.txt', 'txt', 10]);
    assert.match(file.cdnAttachUrl, /^3057/);

    const emoji = await media('emoji', dataUrl('image/gif', GIF));
    assert.ok(emoji.kind === 'emoji');
    assert.ok(emoji.md5.length === 32 && emoji.length > 0 && emoji.cdnUrl !== '');

    const video = ffmpegVideo();
    if (video) {
      const v = await media('video', dataUrl('video/mp4', video));
      assert.ok(v.kind === 'video');
      assert.ok(v.cdnVideoUrl.startsWith('3057') && v.length > 0 && v.playLength >= 1 && v.fromUsername === a.wxid);
    }
  });

  test('parseMessageContent: friend request (37) and the system line (10000) after accepting', async () => {
    const { wxid: carol } = await client.call('/sandbox/people/create', { nickname: 'Carol' });
    await client.call('/sandbox/friend/request', { from_wxid: carol, to_wxid: b.wxid, verify_content: 'hi, Carol here' });
    const request = parseMessageContent((await delivered((r) => r.json.guid === b.guid && r.json.data?.msg_type === 37 && r.json.data.content.includes(carol))).json.data);
    assert.ok(request.kind === 'friend_request');
    assert.equal(request.fromUsername, carol);
    assert.match(request.encryptUsername, /^v3_.*@stranger$/);
    assert.match(request.ticket, /^v4_.*@stranger$/);
    assert.equal(request.content, 'hi, Carol here');
    await client.call('/contact/verify_friend', { guid: b.guid, username: request.encryptUsername, ticket: request.ticket, scene: request.scene, opcode: 3 });
    const system = parseMessageContent((await delivered((r) => r.json.guid === b.guid && r.json.data?.msg_type === 10000 && r.json.data.from_username === carol)).json.data);
    assert.ok(system.kind === 'system');
    assert.match(system.text, /^你已添加了Carol/);
  });
});
