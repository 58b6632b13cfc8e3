// The private-CDN calls through the relay: the tenant authenticates with wxgate's cdn_info; the relay swaps in the
// upstream instance's own base_request (cached, refreshed when refused) and calls the upstream's private CDN.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

let pair: RelayPair;
let guid: string;
before(async () => {
  pair = await startRelayPair({ mode: 'gateway' });
  guid = await pair.relay.createInstance();
  assert.equal((await pair.relay.direct('/login/get_login_qrcode', { guid })).status, 200);
  const person = await pair.phone('/sandbox/people/create', { nickname: 'Cdn' });
  await pair.phone('/sandbox/login/scan', { guid, action: 'scan', wxid: person.wxid });
  await pair.phone('/sandbox/login/scan', { guid, action: 'confirm' });
  await pair.settle();
});
after(() => pair.close());

test('upload and download on the upstream\'s private CDN with the tenant\'s wxgate cdn_info', async () => {
  const base = (await pair.relay.direct('/cdn/get_cdn_info', { guid })).body.data;
  const upstreamGuid = await pair.upstreamGuid(guid);
  const content = Buffer.from('through the relay to the private CDN');
  const up = await pair.relay.direct('/cloud/upload', { base_request: base, file_type: 5, url: content.toString('base64') });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.body.data.file_md5, md5(content));

  // The object lives upstream: the upstream instance itself can download it with its own credential.
  const upstreamBase = (await pair.upstream.direct('/cdn/get_cdn_info', { guid: upstreamGuid })).body.data;
  const there = await pair.upstream.direct('/cloud/download', { base_request: upstreamBase, file_id: up.body.data.file_id, aes_key: up.body.data.aes_key, file_name: 'a', file_type: 5 });
  assert.deepEqual(Buffer.from(there.body.data.base64, 'base64'), content);

  const down = await pair.relay.direct('/cloud/download', { base_request: base, file_id: up.body.data.file_id, aes_key: up.body.data.aes_key, file_name: 'a', file_type: 5 });
  assert.equal(down.status, 200, down.text);
  assert.deepEqual(Buffer.from(down.body.data.base64, 'base64'), content);

  // A file the upstream sent is a normal media message afterwards.
  const sent = await pair.relay.direct('/msg/send_file', {
    guid, to_username: 'filehelper', file_id: up.body.data.file_id, aes_key: up.body.data.aes_key, file_size: content.length, file_md5: md5(content), file_name: 'a.txt',
  });
  assert.equal(sent.status, 200, sent.text);
});

test('a forged cdn_info never reaches the upstream; an upstream credential gone stale is refreshed', async () => {
  const base = (await pair.relay.direct('/cdn/get_cdn_info', { guid })).body.data;
  const forged = await pair.relay.direct('/cloud/upload', { base_request: { ...base, cdn_info: base.cdn_info.slice(0, -2) + 'xx' }, file_type: 5, url: 'eA==' });
  assert.equal(forged.status, 401);

  // The upstream's signing key for cdn_info changes (a restart of a provider, say): the cached credential is refused
  // once, then the relay asks for a fresh one and the call goes through.
  pair.clock.advance(3 * 3_600_000 + 1000);
  const late = await pair.relay.direct('/cdn/get_cdn_info', { guid });
  const up = await pair.relay.direct('/cloud/upload', { base_request: late.body.data, file_type: 5, url: Buffer.from('later').toString('base64') });
  assert.equal(up.status, 200, up.text);
});
