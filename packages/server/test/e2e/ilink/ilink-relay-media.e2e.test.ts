// The iLink server over a relayed instance: a bot bound to a wxgate instance that the relay driver forwards to a second
// wxgate (a sandbox) sends and receives images and files, byte for byte, sends a received image on as it is and an
// uploaded thumbnail with its image — the same /cloud/* and /msg/send_* pipeline the sandbox driver serves, here
// answered by the upstream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { bindBot, download, md5, type IlinkClient } from '../../ilink-client.ts';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;
const MEDIA = { IMAGE: 1, FILE: 3 } as const;

describe('iLink media through the relay driver', () => {
  let pair: RelayPair;
  let bot: IlinkClient;
  let guid: string;
  let me: string;
  let alice: string;
  let buf = '';

  /** The message Alice's phone (on the upstream) shows last from the bot, of a type. */
  const aliceLast = async (msgType: number): Promise<any> => {
    const { messages } = await pair.phone('/sandbox/messages/list', { wxid: alice, talker: me });
    const found = messages.filter((m: { msg_type: number; from_username: string }) => m.msg_type === msgType && m.from_username === me).at(-1);
    assert.ok(found, `Alice got a ${msgType}: ${JSON.stringify(messages.map((m: { msg_type: number }) => m.msg_type))}`);
    return found;
  };
  /** An object of Alice's CDN as the upstream instance downloads it. */
  const upstreamCdn = async (fileType: number, fileId: string, aesKey: string, size: number): Promise<Buffer> => {
    const res = await pair.upstream.direct('/cloud/cdn_download', { guid: await pair.upstreamGuid(guid), file_type: fileType, file_id: fileId, aes_key: aesKey, file_size: size });
    assert.equal(res.status, 200, res.text);
    return Buffer.from(res.body.data?.base64 ?? res.body.base64, 'base64');
  };
  const nextMessage = async (): Promise<any> => {
    const answer = await bot.getUpdates(buf);
    assert.equal(answer.ret, 0, JSON.stringify(answer));
    assert.equal(answer.msgs.length, 1, JSON.stringify(answer.msgs));
    buf = answer.get_updates_buf;
    return answer.msgs[0];
  };
  const send = (item: unknown) => bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [item] } });

  before(async () => {
    pair = await startRelayPair({ mode: 'gateway' });
    guid = await pair.relay.createInstance();
    assert.equal((await pair.relay.direct('/login/get_login_qrcode', { guid })).status, 200);
    me = (await pair.phone('/sandbox/people/create', { nickname: 'Relayed Agent' })).wxid;
    await pair.phone('/sandbox/login/scan', { guid, action: 'scan', wxid: me });
    await pair.phone('/sandbox/login/scan', { guid, action: 'confirm' });
    alice = (await pair.phone('/sandbox/people/create', { nickname: 'Alice', needs_verification: false })).wxid;
    await pair.phone('/sandbox/friend/request', { from_wxid: me, to_wxid: alice });
    await pair.settle();
    ({ bot } = await bindBot(pair.relay, `${pair.relayUrl}/`, guid));
  });
  after(async () => pair?.close());

  test('an image and a file the bot uploads reach the person on the upstream byte for byte', async () => {
    const jpeg = await sharp({ create: { width: 200, height: 120, channels: 3, background: '#3366aa' } }).jpeg().toBuffer();
    const image = await bot.upload(jpeg, MEDIA.IMAGE, alice);
    const sentImage = await send({ type: 2, image_item: { media: { ...image, key: undefined }, mid_size: jpeg.length } });
    assert.equal(sentImage.ret, 0, JSON.stringify(sentImage));
    await pair.settle();
    const img = xml.parse((await aliceLast(3)).content).msg.img;
    assert.equal(img.md5, md5(jpeg));
    assert.deepEqual(await upstreamCdn(1, img.cdnbigimgurl, img.aeskey, Number(img.hdlength)), jpeg);
    // An uploaded thumbnail reaches a wxgate upstream too (cdn_upload's thumb_url is forwarded like every field).
    const thumb = await sharp({ create: { width: 40, height: 24, channels: 3, background: '#ffcc00' } }).jpeg().toBuffer();
    const withThumb = await bot.uploadWithThumb(jpeg, thumb, MEDIA.IMAGE, alice);
    assert.equal((await send({ type: 2, image_item: withThumb })).ret, 0);
    await pair.settle();
    const shown = xml.parse((await aliceLast(3)).content).msg.img;
    assert.deepEqual(await upstreamCdn(3, shown.cdnthumburl, shown.cdnthumbaeskey, Number(shown.cdnthumblength)), thumb);

    const doc = Buffer.from('relayed attachment\n'.repeat(200));
    const file = await bot.upload(doc, MEDIA.FILE, alice);
    const sentFile = await send({ type: 4, file_item: { media: { ...file, key: undefined }, file_name: '合同.txt', len: String(doc.length) } });
    assert.equal(sentFile.ret, 0, JSON.stringify(sentFile));
    await pair.settle();
    const appmsg = xml.parse((await aliceLast(49)).content).msg.appmsg;
    assert.equal(appmsg.title, '合同.txt');
    assert.deepEqual(await upstreamCdn(5, appmsg.appattach.cdnattachurl, appmsg.appattach.aeskey, Number(appmsg.appattach.totallen)), doc);
  });

  test('the person\'s image and file reach getupdates through the relay and download byte for byte', async () => {
    const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#aa3311' } }).png().toBuffer();
    await pair.phone('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'image', url: dataUrl(png) });
    const image = (await nextMessage()).item_list[0];
    assert.equal(image.type, 2);
    assert.deepEqual(await download(image.image_item.media, image.image_item.aeskey), png);
    // Sent back as it is: the upstream sends the very object on (WeChat's forward), no copy through the client.
    const forwarded = await send({ type: 2, image_item: image.image_item });
    assert.equal(forwarded.ret, 0, JSON.stringify(forwarded));
    await pair.settle();
    const { messages } = await pair.phone('/sandbox/messages/list', { wxid: alice, talker: me });
    const original = xml.parse(messages.filter((m: { msg_type: number; from_username: string }) => m.msg_type === 3 && m.from_username === alice).at(-1).content).msg.img;
    const echoed = xml.parse((await aliceLast(3)).content).msg.img;
    assert.equal(echoed.cdnbigimgurl, original.cdnbigimgurl);
    assert.deepEqual(await upstreamCdn(1, echoed.cdnbigimgurl, echoed.aeskey, Number(echoed.hdlength)), png);

    const doc = Buffer.from('from the upstream side\n'.repeat(80));
    await pair.phone('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'file', url: dataUrl(doc), file_name: 'notes.txt' });
    const file = (await nextMessage()).item_list[0];
    assert.deepEqual([file.type, file.file_item.file_name, file.file_item.md5], [4, 'notes.txt', md5(doc)]);
    assert.deepEqual(await download(file.file_item.media), doc);
  });
});
