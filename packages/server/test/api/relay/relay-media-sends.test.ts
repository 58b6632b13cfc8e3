// The relay forwards /msg/send_link_card and /msg/send_voice as the tenant sent them (guid swapped, URLs untouched: the
// upstream fetches and transcodes, the relay does not) and hands back the upstream's answer; refusals pass through.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultAnswer, FakeUpstream } from '../../fake-upstream.ts';
import type { RelayDriver } from '../../../src/driver/relay/relay-driver.ts';
import { startHarness, type Harness } from '../../harness.ts';

describe('relay: link cards from a URL and voice messages', () => {
  const upstream = new FakeUpstream();
  let relay: Harness;
  let guid: string;
  let upstreamGuid: string;

  before(async () => {
    await upstream.start();
    relay = await startHarness({
      driver: 'relay',
      publicUrl: 'http://127.0.0.1:9',
      relay: { baseUrl: upstream.url, mode: 'gateway', appKey: 'vendor-key-0123456789', appSecret: 'vendor-secret-0123456789abcdef', timeoutMs: 2000, tenants: {} },
    }, undefined, { realTime: true });
    guid = (await relay.direct('/client/create_client', { auto_start: true })).body.data.guid;
    upstreamGuid = (await (relay.app.services.driver as RelayDriver).upstreamGuidOf(guid))!;
    assert.notEqual(upstreamGuid, guid);
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  test('send_link_card reaches the upstream with image_url as given; its SendAppMsg answer comes back', async () => {
    const answer = {
      baseResponse: { ret: 0, errMsg: {} }, appId: '', fromUserName: 'wxid_alice', toUserName: 'wxid_bob', msgId: 7, clientMsgId: '9', createTime: 1_772_000_000,
      type: 49, newMsgId: '5729008480410655547',
    };
    upstream.script = (c) => (c.path === '/msg/send_link_card' ? { body: { errcode: 0, errmsg: '', data: answer } } : defaultAnswer(c));
    const body = { to_username: 'wxid_bob', title: '标题', desc: '描述', url: 'https://shop.example/p/1', image_url: 'http://10.0.0.1/thumb.png' };
    const res = await relay.direct('/msg/send_link_card', { guid, ...body });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data, answer);
    const sent = upstream.callsTo('/msg/send_link_card');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]!.data, { ...body, guid: upstreamGuid }, 'forwarded unchanged but for the guid; a private image_url is the upstream\'s to judge');
  });

  test('send_voice reaches the upstream with its source fields; its UploadVoice answer comes back; its 422 names the field', async () => {
    const answer = {
      baseResponse: { ret: 0, errMsg: {} }, fromUserName: 'wxid_alice', toUserName: 'wxid_bob', offset: 3210, length: 3210, createTime: 1_772_000_000,
      clientMsgId: 'wxid_alice1772000000000', msgId: 8, voiceLength: 2300, endFlag: 1, cancelFlag: 0, newMsgId: '5729008480410655548',
    };
    upstream.script = (c) => (c.path === '/msg/send_voice' ? { body: { errcode: 0, errmsg: '', data: answer } } : defaultAnswer(c));
    const body = { to_username: 'wxid_bob', url: 'https://cdn.example/v.mp3', voice_length: 2300 };
    const res = await relay.direct('/msg/send_voice', { guid, ...body });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data, answer);
    const fromCdn = { to_username: 'wxid_bob', file_id: '3057020100044b3049' + 'ab'.repeat(80), aes_key: '0123456789abcdef0123456789abcdef', file_size: 3210 };
    await relay.direct('/msg/send_voice', { guid, ...fromCdn });
    // with the contract's defaults filled in, as every forwarded call
    const defaults = { file_id: '', aes_key: '', file_size: 0, url: '', voice_length: 0 };
    assert.deepEqual(upstream.callsTo('/msg/send_voice').map((c) => c.data), [{ ...defaults, ...body, guid: upstreamGuid }, { ...defaults, ...fromCdn, guid: upstreamGuid }]);

    upstream.script = (c) => (c.path === '/msg/send_voice'
      ? { status: 422, body: { detail: [{ loc: ['body', 'url'], msg: 'the audio lasts 75.0 s; a WeChat voice message lasts at most 60 s', type: 'value_error' }] } }
      : defaultAnswer(c));
    const long = await relay.direct('/msg/send_voice', { guid, to_username: 'wxid_bob', url: 'https://cdn.example/long.wav' });
    assert.equal(long.status, 422, long.text);
    assert.deepEqual(long.body.errors[0].loc, ['body', 'url']);
  });
});
