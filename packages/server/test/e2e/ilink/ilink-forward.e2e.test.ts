// Received iLink media sent on as it is, over real sockets with the protocol's client (test/ilink-client.ts): a person's
// image, voice, file and video reach getupdates; the bot sends each item back, as an echo bot does, to the person and
// into a room — the same CDN object arrives (WeChat's forward), byte for byte; a reference of another bot is refused
// (40986), a wrong aes_key too, and a revoked bot's token is a session timeout (-14).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { startHarness, type Harness } from '../../harness.ts';
import { bindBot, botView, download, listen, type IlinkClient } from '../../ilink-client.ts';
import { friendOf, loggedIn, ok } from '../../sandbox-helpers.ts';
import { NEEDS, testVideo } from '../../system-programs.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;
/** A message's XML, without the "sender:\n" a room message starts with. */
const parsed = (content: string) => xml.parse(content.slice(content.indexOf('<'))).msg;
const FIELD: Record<number, string> = { 2: 'image_item', 3: 'voice_item', 4: 'file_item', 5: 'video_item' };

describe('iLink: received media sent on as it is', () => {
  let h: Harness;
  let bot: IlinkClient;
  let botId: string;
  let other: IlinkClient;
  let guid: string;
  let me: string;
  let alice: string;
  let room: string;
  let view: ReturnType<typeof botView>;
  const lastFromMe = (wxid: string, talker: string, msgType: number) => view.lastFromMe(wxid, talker, msgType);
  const cdnBytes = (fileType: number, fileId: string, aesKey: string, size: number) => view.cdnBytes(fileType, fileId, aesKey, size);
  const nextMessage = () => view.nextMessage();
  /** Sends one item as an echo bot does: the item as received, back to `to` (a context_token, or a room id). */
  const sendBack = (client: IlinkClient, to: { context_token: string } | { to_user_id: string }, item: any) =>
    client.post('ilink/bot/sendmessage', { msg: { ...to, item_list: [{ type: item.type, [FIELD[item.type]!]: item[FIELD[item.type]!] }] } });

  before(async () => {
    h = await startHarness({}, undefined, { realTime: true });
    const baseUrl = await listen(h);
    ({ guid, wxid: me } = await loggedIn(h, { nickname: 'Agent' }));
    alice = await friendOf(h, me, 'Alice');
    const bob = await friendOf(h, me, 'Bob');
    ({ room_username: room } = await ok(h.direct('/sandbox/room/create', { owner_wxid: me, member_wxids: [alice, bob], name: 'Forwarders' })));
    ({ bot, botId } = await bindBot(h, baseUrl, guid));
    view = botView(h, bot, guid, me);
    const second = await loggedIn(h, { nickname: 'Other agent' });
    ({ bot: other } = await bindBot(h, baseUrl, second.guid));
  });
  after(async () => h?.close());

  test('a person\'s image, voice, file and video go back to the person and into a room as the same objects', async (t) => {
    const png = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const doc = Buffer.from('minutes of the meeting\n'.repeat(40));
    const video = testVideo();
    const sends: Array<Record<string, unknown>> = [
      { kind: 'image', url: dataUrl(png) }, { kind: 'voice', duration_ms: 1200 }, { kind: 'file', url: dataUrl(doc), file_name: 'minutes.txt' },
      ...(video ? [{ kind: 'video', url: dataUrl(video) }] : []),
    ];
    for (const body of sends) {
      await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, ...body }));
      const message = await nextMessage();
      const item = message.item_list[0];
      const field = item[FIELD[item.type]!];
      const original = await download(field.media);
      for (const [to, talker] of [[{ context_token: message.context_token }, me], [{ to_user_id: room }, room]] as const) {
        const sent = await sendBack(bot, to, item);
        assert.equal(sent.ret, 0, `${body.kind} to ${talker}: ${JSON.stringify(sent)}`);
        assert.match(sent.message_id, /^\d+$/);
        if (item.type === 3) {
          const got = await lastFromMe(alice, talker, 34);
          assert.equal(got.msg_id, sent.message_id);
          const voice = parsed(got.content).voicemsg;
          assert.equal(Number(voice.voicelength), item.voice_item.playtime);
          assert.deepEqual(await cdnBytes(5, voice.voiceurl, voice.aeskey, Number(voice.length)), original, 'the same SILK');
        } else if (item.type === 2) {
          const img = parsed((await lastFromMe(alice, talker, 3)).content).img;
          assert.deepEqual(await cdnBytes(1, img.cdnbigimgurl, img.aeskey, Number(img.hdlength)), original);
          assert.deepEqual(await cdnBytes(3, img.cdnthumburl, img.cdnthumbaeskey, Number(img.cdnthumblength)), await download(field.thumb_media), 'and its thumbnail');
        } else if (item.type === 4) {
          const appmsg = parsed((await lastFromMe(alice, talker, 49)).content).appmsg;
          assert.equal(appmsg.title, 'minutes.txt', 'a file keeps its name');
          assert.deepEqual(await cdnBytes(5, appmsg.appattach.cdnattachurl, appmsg.appattach.aeskey, Number(appmsg.appattach.totallen)), original);
        } else {
          const v = parsed((await lastFromMe(alice, talker, 43)).content).videomsg;
          assert.deepEqual(await cdnBytes(4, v.cdnvideourl, v.aeskey, Number(v.length)), original);
          assert.equal(Number(v.playlength), item.video_item.play_length);
        }
      }
    }
    if (!video) t.skip(NEEDS.ffmpeg);
  });

  test('the forward is WeChat\'s: no new CDN object; media.aes_key must be the reference\'s key, in either form', async () => {
    const png = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#aa0000' } }).png().toBuffer();
    await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'image', url: dataUrl(png) }));
    const item = (await nextMessage()).item_list[0];
    const { messages } = await ok(h.direct('/sandbox/messages/list', { wxid: alice, talker: me }));
    const received = parsed(messages.filter((m: { msg_type: number; from_username: string }) => m.msg_type === 3 && m.from_username === alice).at(-1).content).img;
    const media = item.image_item.media;
    const hexForm = Buffer.from(item.image_item.aeskey).toString('base64');
    const sent = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 2, image_item: { media: { encrypt_query_param: media.encrypt_query_param, aes_key: hexForm } } }] } });
    assert.equal(sent.ret, 0, JSON.stringify(sent));
    assert.equal(parsed((await lastFromMe(alice, me, 3)).content).img.cdnbigimgurl, received.cdnbigimgurl, 'the object the person sent, not a copy');
    const wrongKey = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 2, image_item: { media: { ...media, aes_key: Buffer.alloc(16, 7).toString('base64') } } }] } });
    assert.deepEqual([wrongKey.ret, wrongKey.errcode], [-1, 40984], JSON.stringify(wrongKey));
    assert.ok(wrongKey.errmsg.includes('image_item.media.aes_key'), wrongKey.errmsg);
    const asFile = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 4, file_item: { media } }] } });
    assert.deepEqual([asFile.ret, asFile.errcode], [-1, 40984], 'an image reference is not a file');
    const thumbAsMedia = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 2, image_item: { media: item.image_item.thumb_media } }] } });
    assert.deepEqual([thumbAsMedia.ret, thumbAsMedia.errcode], [-1, 40986], 'a received thumbnail is not a message to send');
  });

  test('another bot\'s reference is 40986; once revoked, the bot\'s token is -14 and its references open nothing', async () => {
    await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'voice', duration_ms: 800 }));
    const item = (await nextMessage()).item_list[0];
    const foreign = await sendBack(other, { to_user_id: alice }, item);
    assert.deepEqual([foreign.ret, foreign.errcode], [-1, 40986], JSON.stringify(foreign));
    assert.deepEqual(await ok(h.direct('/ilink/revoke_bot', { guid, bot_id: botId })), { revoked: true });
    const revoked = await sendBack(bot, { to_user_id: alice }, item);
    assert.deepEqual([revoked.ret, revoked.errcode], [-14, -14]);
    assert.equal((await sendBack(other, { to_user_id: alice }, item)).errcode, 40986, 'nor does another bot send it');
    assert.equal((await fetch(item.voice_item.media.full_url)).status, 404);
  });
});
