// Vendor clients on a fresh default server: every send they make (text, @, link card from an image URL, card, image
// and file from cdn_upload, voice), revoke, read marks and the voice-transcription job fields, read as they read them.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { pcmToWav, sineTonePcm } from '../../src/wechat/silk.ts';
import { vendorSession, type Account, type VendorServer } from './vendor-server.ts';
import { sentMessageId, type Clients } from './vendor-clients.ts';

const dataUrl = (bytes: Buffer, type = 'application/octet-stream') => `data:${type};base64,${bytes.toString('base64')}`;

describe('vendor clients: messages and media', () => {
  let server: VendorServer;
  let c: Clients;
  let alice: Account;
  let bob: { guid: string; wxid: string };
  let images: Server;
  let imageUrl: string;

  before(async () => {
    ({ server, c, alice } = await vendorSession({ nickname: 'Alice' }));
    bob = await server.account({ nickname: 'Bob' });
    await server.control('/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    await server.control('/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#07c160' } }).png().toBuffer();
    images = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cover.png`;
  });
  after(async () => {
    images.close();
    await server.close();
  });

  /** The 1010 Bob's webhook got for a message id. */
  const delivered = async (msgId: string) => (await server.receiver.newMsg(bob.guid, msgId)).json.data;

  test('send_text: every client reads success and a decimal-string message id the receiver\'s 1010 carries', async () => {
    for (const client of Object.values(c)) {
      const sent = await client.call('/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: `hi from ${client.name}` });
      assert.ok(sent.ok, `${client.name}: ${JSON.stringify(sent.body)}`);
      // The forwarding service reads `data`, `result` or `payload`, else searches the whole body.
      const id = sentMessageId(sent.payload ?? sent.body);
      assert.match(id ?? '', /^\d+$/, client.name);
      assert.equal(typeof sent.body.list[0].newMsgId, 'string');
      assert.equal(typeof sent.body.list[0].msgId, 'number');
      assert.equal((await delivered(id!)).content, `hi from ${client.name}`);
    }
  });

  test('the Go client\'s sends: room @, link card from an image URL, contact card, revoke by string msg_id, read mark', async () => {
    const carol = (await server.control('/sandbox/people/create', { nickname: 'Carol', friends: [alice.wxid] })).wxid;
    const room = (await c.go.call('/room/create_chatroom', { guid: alice.guid, username_list: [bob.wxid, carol] })).body.chatRoomName.string;
    const at = await c.go.call('/msg/send_room_at', { guid: alice.guid, to_username: room, content: '@Bob 看一下', at_list: [bob.wxid] });
    assert.ok(at.ok, JSON.stringify(at.body));
    assert.equal((await delivered(sentMessageId(at.body)!)).chatroom, room);

    const link = await c.go.call('/msg/send_link_card', { guid: alice.guid, to_username: bob.wxid, title: '新品上市', desc: '点开看看', url: 'https://shop.example/p/1', image_url: imageUrl });
    assert.ok(link.ok, JSON.stringify(link.body));
    const card = await delivered(sentMessageId(link.body)!);
    assert.equal(card.msg_type, 49);
    assert.match(card.content, /<type>5<\/type>/);
    assert.match(card.content, /<cdnthumburl>30/);

    const share = await c.go.call('/msg/send_share_card', { guid: alice.guid, to_username: bob.wxid, share_username: carol });
    assert.ok(share.ok, JSON.stringify(share.body));
    assert.equal((await delivered(sentMessageId(share.body)!)).msg_type, 42);

    const text = await c.go.call('/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: 'oops' });
    const revoke = await c.go.call('/msg/revoke_msg', { guid: alice.guid, to_username: bob.wxid, msg_id: sentMessageId(text.body), client_msg_id: 0 });
    assert.ok(revoke.ok, JSON.stringify(revoke.body));
    assert.ok((await c.go.call('/msg/set_session_read', { guid: alice.guid, to_username: bob.wxid })).ok);
  });

  test('cdn_upload through the gateway, then send_image and send_file with the answer\'s fields (numbers as numbers)', async () => {
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#ff8800' } }).jpeg().toBuffer();
    const up = await c.ts.call('/cloud/cdn_upload', { guid: alice.guid, file_type: 2, url: dataUrl(photo, 'image/jpeg') });
    assert.ok(up.ok, JSON.stringify(up.body));
    const f = up.payload;
    assert.match(f.file_id, /^3057020100044b3049/);
    assert.match(f.aes_key, /^[0-9a-f]{32}$/);
    for (const key of ['file_size', 'big_file_size', 'thumb_file_size', 'thumb_width', 'thumb_height', 'file_crc']) assert.equal(typeof f[key], 'number', key);
    const image = await c.ts.call('/msg/send_image', {
      guid: alice.guid, to_username: bob.wxid, file_id: f.file_id, aes_key: f.aes_key, file_size: f.file_size, big_file_size: f.big_file_size,
      thumb_file_size: f.thumb_file_size, file_md5: f.file_md5, thumb_width: f.thumb_width, thumb_height: f.thumb_height, file_crc: f.file_crc,
    });
    assert.ok(image.ok, JSON.stringify(image.body));
    assert.equal((await delivered(sentMessageId(image.payload)!)).msg_type, 3);

    const doc = Buffer.from('季度报表\n'.repeat(200));
    const upDoc = await c.strict.call('/cloud/cdn_upload', { guid: alice.guid, file_type: 5, url: dataUrl(doc) });
    assert.ok(upDoc.ok, JSON.stringify(upDoc.body));
    const d = upDoc.payload;
    const file = await c.strict.call('/msg/send_file', {
      guid: alice.guid, to_username: bob.wxid, file_id: d.file_id, aes_key: d.aes_key, file_size: d.file_size, file_md5: d.file_md5,
      file_name: 'report.txt', file_crc: d.file_crc, file_key: d.file_key,
    });
    assert.ok(file.ok, JSON.stringify(file.body));
    assert.match((await delivered(sentMessageId(file.body)!)).content, /<title>report\.txt<\/title>/);
  });

  test('send_voice from a WAV, then the transcription job with length sent as text, as a Python worker sends it', async () => {
    const wav = pcmToWav(sineTonePcm(1500, 440, 16_000), 16_000);
    const voice = await c.ts.call('/msg/send_voice', { guid: alice.guid, to_username: bob.wxid, url: dataUrl(wav, 'audio/wav') });
    assert.ok(voice.ok, JSON.stringify(voice.body));
    assert.ok(Math.abs(voice.payload.voiceLength - 1500) < 100, String(voice.payload.voiceLength));
    const got = await delivered(sentMessageId(voice.payload)!);
    assert.equal(got.msg_type, 34);
    const length = /voicelength="(\d+)"/.exec(got.content)![1]!;

    const job = await c.first.call('/msg/new_trans_voice_id', { guid: bob.guid });
    assert.ok(job.ok, JSON.stringify(job.body));
    const voiceId = job.payload.voice_id;
    assert.equal(typeof voiceId, 'string');
    // `length` as a string: pydantic on the vendor's side reads it as the integer; so does wxgate.
    const check = await c.first.call('/msg/check_voice_trans', { guid: bob.guid, voice_id: voiceId, msg_id: got.msg_id, length: String(length) });
    assert.notEqual(check.status, 422, JSON.stringify(check.body));
    const upload = await c.first.call('/msg/upload_voice_trans', { guid: bob.guid, voice_id: voiceId, msg_id: got.msg_id, length: String(length) });
    assert.notEqual(upload.status, 422, JSON.stringify(upload.body));
    // With a speech engine installed the job runs; without one it is a business failure the worker can read.
    if (!upload.ok) assert.equal(upload.code, 50310, JSON.stringify(upload.body));
    else assert.equal(typeof (await c.first.call('/msg/check_voice_trans', { guid: bob.guid, voice_id: voiceId, msg_id: got.msg_id, length })).payload.status, 'number');
  });
});
