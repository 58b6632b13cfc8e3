// Outgoing iLink media through the ilink driver, against a scripted iLink server on a loopback socket: the protocol as
// the plugin speaks it (getuploadurl's sizes, md5 and key; the ciphertext at <cdn>/upload; the item naming
// x-encrypted-param with the conversation's context_token), and failures answered as errors, never a fake success: the
// CDN refusing the upload (nothing is sent), sendmessage answering ret ≠ 0.
import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { FakeIlink } from '../../../test/fake-ilink.ts';
import { ilinkRig, type IlinkRig } from '../../../test/ilink-driver-rig.ts';
import { expectError } from '../conformance/subject.ts';

const ME = 'me@im.wechat';
const ALICE = 'alice@im.wechat';
const doc = Buffer.from('the contract, signed\n'.repeat(25));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('outgoing iLink media from the ilink driver', () => {
  let fake: FakeIlink;
  let rig: IlinkRig;
  const sends = () => fake.requests.filter((r) => r.path === '/ilink/bot/sendmessage');
  const upload = () => rig.call('/cloud/cdn_upload', { file_type: 5, url: `data:application/pdf;base64,${doc.toString('base64')}` });
  const sendFile = (up: Awaited<ReturnType<typeof upload>>) =>
    rig.call('/msg/send_file', { to_username: ALICE, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5, file_name: 'contract.pdf' });

  beforeEach(async () => {
    fake = new FakeIlink();
    rig = await ilinkRig(await fake.start(), `${fake.url}/c2c`);
    // Alice wrote first: her context_token goes with the replies.
    fake.updates.set('', { next: 'buf-1', msgs: [{ seq: 1, message_id: '77', from_user_id: ALICE, message_type: 1, item_list: [{ type: 1, text_item: { text: 'send it' } }], context_token: 'ctx-alice' }] });
    fake.qrStatuses.push({ status: 'confirmed', bot_token: 'fake-token', ilink_bot_id: 'bot@im.bot', ilink_user_id: ME, baseurl: fake.url });
    await rig.call('/login/get_login_qrcode', {});
    await rig.until('Alice\'s text', () => rig.events().some((e) => e.notifyType === 1010));
  });
  afterEach(async () => {
    await rig.close();
    await fake.close();
  });

  test('a file: getuploadurl with the padded size, md5 and a fresh key; the ciphertext decrypts to the file; the item names the upload', async () => {
    const sent = await sendFile(await upload());
    const ask = fake.requests.find((r) => r.path === '/ilink/bot/getuploadurl')!.body;
    assert.deepEqual([ask.media_type, ask.to_user_id, ask.rawsize, ask.rawfilemd5, ask.filesize, ask.no_need_thumb], [3, ALICE, doc.length, md5(doc), (Math.floor(doc.length / 16) + 1) * 16, true]);
    assert.match(String(ask.aeskey), /^[0-9a-f]{32}$/);
    const [stored] = fake.uploads;
    assert.deepEqual([stored!.query.get('encrypted_query_param'), stored!.query.get('filekey')], [`up-${fake.requests.findIndex((r) => r.path === '/ilink/bot/getuploadurl') + 1}`, ask.filekey]);
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(String(ask.aeskey), 'hex'), null);
    assert.deepEqual(Buffer.concat([decipher.update(stored!.body), decipher.final()]), doc);
    const msg = sends()[0]!.body.msg as { to_user_id: string; context_token: string; item_list: Array<{ type: number; file_item: { media: { encrypt_query_param: string; aes_key: string }; file_name: string; len: string; md5: string } }> };
    assert.deepEqual([msg.to_user_id, msg.context_token, msg.item_list.length], [ALICE, 'ctx-alice', 1]);
    const item = msg.item_list[0]!;
    assert.deepEqual([item.type, item.file_item.media.encrypt_query_param, item.file_item.file_name, item.file_item.len, item.file_item.md5], [4, 'dl-1', 'contract.pdf', String(doc.length), md5(doc)]);
    assert.equal(Buffer.from(item.file_item.media.aes_key, 'base64').toString(), ask.aeskey, 'aes_key: base64 of the key\'s hex, as the plugin sends it');
    assert.deepEqual([sent.newMsgId, sent.type, sent.toUserName], ['8000000000000000001', 49, ALICE]);
  });

  test('the CDN refuses the upload: UPSTREAM_REFUSED with its reason, and nothing is sent', async () => {
    const up = await upload();
    fake.uploadRefusal = { status: 400, message: 'file too big for this bot' };
    const err = await expectError(sendFile(up), 'UPSTREAM_REFUSED');
    assert.deepEqual(err.data, { upstream_errcode: 400, upstream_errmsg: 'file too big for this bot' });
    assert.equal(sends().length, 0);
  });

  test('sendmessage answers ret ≠ 0: UPSTREAM_REFUSED with the server\'s ret and errmsg, not a success', async () => {
    const up = await upload();
    fake.sendAnswer = { ret: -2, errmsg: 'not your contact' };
    const err = await expectError(sendFile(up), 'UPSTREAM_REFUSED');
    assert.deepEqual(err.data, { upstream_errcode: -2, upstream_errmsg: 'not your contact' });
    await expectError(rig.call('/msg/send_refer_msg', {
      to_username: ALICE, content: 'here', refer_msg: { msg_type: 1, msg_id: '77', from_username: ALICE, from_nickname: '', source: '', content: 'send it' },
    }), 'UPSTREAM_REFUSED');
  });
});
