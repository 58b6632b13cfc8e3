// Send pacing on the relay driver (in front of a sandbox wxgate as upstream): the same queue, warm-up and 9001 results,
// since pacing sits before the driver, not in it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NOTIFY_TYPES } from '@wxgate/contract';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';

describe('send pacing on the relay driver', () => {
  let pair: RelayPair;
  before(async () => {
    pair = await startRelayPair();
  });
  after(async () => pair?.close());

  test('sends are queued here and reach the upstream one gap apart; the login there starts the warm-up, which refuses a Moments post', async () => {
    const { relay } = pair;
    const guid = await relay.createInstance();
    const qr = await relay.direct('/login/get_login_qrcode', { guid });
    assert.equal(qr.status, 200, qr.text);
    const alice = await pair.phone('/sandbox/people/create', { nickname: 'Alice' });
    const bob = await pair.phone('/sandbox/people/create', { nickname: 'Bob' });
    await pair.phone('/sandbox/login/scan', { guid, action: 'scan', wxid: alice.wxid });
    await pair.phone('/sandbox/login/scan', { guid, action: 'confirm' });
    await pair.phone('/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    await pair.phone('/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    await pair.settle();
    assert.equal((await relay.direct('/client/get_client_status', { guid })).body.data.login_wxid, alice.wxid, 'the login reached the relay');

    const set = await relay.direct('/client/set_send_pacing', { guid, enabled: true, min_delay_ms: 60_000, max_delay_ms: 60_000, per_minute: 0, per_day: 0 });
    assert.equal(set.status, 200, set.text);
    assert.ok(set.body.data.warmup_until > relay.clock.now() / 1000, 'the login on the relay started a warm-up');
    const post = await relay.direct('/sns/sns_post', { guid, object_desc: Buffer.from('<TimelineObject/>').toString('base64') });
    assert.equal(post.body.code, 40370, post.text);

    const ids: string[] = [];
    for (const content of ['one', 'two']) {
      const res = await relay.direct('/msg/send_text', { guid, to_username: bob.wxid, content });
      assert.equal(res.body.data.queued, true, res.text);
      ids.push(res.body.data.queue_id);
    }
    await relay.app.services.sendPacing.runDue();
    assert.equal((await relay.direct('/client/get_send_pacing', { guid })).body.data.queue_length, 1, 'the second waits for its gap');
    // The relay's own clock (real time plus jumps): its pacing runs on it.
    relay.clock.advance(60_000);
    await relay.app.services.sendPacing.runDue();
    const results = (await relay.app.store.events.list({ guid, afterSn: 0, limit: 1000 }))
      .filter((e) => e.notifyType === NOTIFY_TYPES.PacedSendResult).map((e) => e.data as any);
    assert.deepEqual(results.map((r) => r.queue_id), ids);
    for (const r of results) {
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.ok(r.result.list[0].newMsgId, 'the upstream\'s WeChat answer');
    }
    const sent = await relay.app.store.sendPacing.sentSince(guid, 0);
    assert.ok(sent[1]!.at - sent[0]!.at >= 60_000);
  });
});
