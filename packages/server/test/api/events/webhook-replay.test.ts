// /events/replay sends now: not after the retry delay of the replayed event, of an event before it, or of an attempt
// that was in flight when the replay was asked for. The retry schedule here waits an hour after a failure, so every
// arrival below within the receiver's 10 s wait is the replay's doing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PublishedEvent } from '../../../src/core/events.ts';
import { eventually } from '../../eventually.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';

const HOUR_LATER = { webhook: { timeoutMs: 3000, retrySchedule: [0, 3600, 3600], maxInFlight: 64 } };

const msg = (i: number): PublishedEvent => ({ notifyType: 1010, data: { msg_id: String(5000 + i), msg_type: 1, content: `replay ${i}`, from_username: 'wxid_sender00000001', to_username: 'wxid_me', create_time: 1 } });

describe('webhook replay', () => {
  let h: Harness;
  let receiver: Receiver;
  before(async () => {
    h = await startHarness(HOUR_LATER, undefined, { realTime: true });
    receiver = await new Receiver().start();
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  async function instanceWithHook(path: string): Promise<string> {
    const guid = await h.createInstance();
    const res = await h.direct('/client/set_notify_url', { guid, notify_url: receiver.url + path });
    assert.equal(res.status, 200, res.text);
    return guid;
  }
  const publish = async (guid: string, events: PublishedEvent[]) => h.app.services.events.publish((await h.app.services.instances.find(guid))!, events);
  const arrivals = (guid: string) => receiver.received.filter((r) => r.json.guid === guid);
  /** Waits until the event's failed attempt is written and its next one is scheduled (an hour away). */
  async function waitingAnHour(guid: string, eventId: string): Promise<void> {
    for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 20))) {
      const { webhook } = (await h.direct('/events/attempts', { guid, event_id: eventId })).body.data.event;
      if (webhook.state === 'pending' && webhook.attempts >= 1 && webhook.next_attempt_at > Date.now() + 30 * 60_000) return;
      assert.ok(Date.now() < deadline, `event never waited for its retry: ${JSON.stringify(webhook)}`);
    }
  }

  test('a failed event whose next retry is an hour away is sent at once when replayed', async () => {
    const guid = await instanceWithHook('/once');
    receiver.answer = (r) => (r.json.guid === guid && arrivals(guid).length === 1 ? { status: 500 } : { status: 200 });
    const [event] = await publish(guid, [msg(1)]);
    await waitingAnHour(guid, event!.id);

    const replay = await h.direct('/events/replay', { guid, from_sn: 1, to_sn: 1 });
    assert.deepEqual(replay.body.data, { requeued: 1 });
    await receiver.until(() => arrivals(guid).length === 2);
    assert.deepEqual(arrivals(guid).map((r) => r.headers['webhook-id']), [event!.id, event!.id]);
  });

  test('replaying a later event sends the ones waiting before it now too, in sn order', async () => {
    const guid = await instanceWithHook('/behind');
    receiver.answer = (r) => (r.json.guid === guid && arrivals(guid).length === 1 ? { status: 503 } : { status: 200 });
    const [first, second] = await publish(guid, [msg(2), msg(3)]);
    await waitingAnHour(guid, first!.id);
    assert.equal(arrivals(guid).length, 1, 'the second event waits behind the first');

    // The newest event is what a person clicks in the console: it must not sit behind the first one's hour.
    await h.direct('/events/replay', { guid, from_sn: second!.sn, to_sn: second!.sn });
    await receiver.until(() => arrivals(guid).length === 3);
    assert.deepEqual(arrivals(guid).map((r) => Number(r.headers['x-wxgate-sn'])), [1, 1, 2]);
  });

  test('a replay asked for while an attempt is in flight is not undone by that attempt failing', async () => {
    const guid = await instanceWithHook('/inflight');
    receiver.answer = (r) => {
      if (r.json.guid !== guid) return { status: 200 };
      // The first attempt takes a while to fail: the replay below is asked for meanwhile.
      return arrivals(guid).length === 1 ? { status: 500, delayMs: 400 } : { status: 200 };
    };
    const [event] = await publish(guid, [msg(4)]);
    await receiver.until(() => arrivals(guid).length === 1);
    const replay = await h.direct('/events/replay', { guid, from_sn: 1, to_sn: 1 });
    assert.deepEqual(replay.body.data, { requeued: 1 });
    await receiver.until(() => arrivals(guid).length === 2);
    const { event: view, attempts } = (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data;
    assert.equal(attempts[0].status_code, 500);
    assert.ok(view.webhook.state !== 'pending' || view.webhook.next_attempt_at < Date.now() + 60_000);
  });

  test('a replay of one event while later ones are delivered and not yet written sends that one again, not the others', async () => {
    const guid = await instanceWithHook('/only-replayed');
    receiver.answer = (r) => (r.json.guid === guid && arrivals(guid).length === 3 ? { status: 200, delayMs: 300 } : { status: 200 });
    const events = await publish(guid, [msg(10), msg(11), msg(12)]);
    // The first two are delivered (their writes wait for the group commit); the third is in flight when sn 1 is replayed.
    await receiver.until(() => arrivals(guid).length === 3);
    const replay = await h.direct('/events/replay', { guid, from_sn: 1, to_sn: 1 });
    assert.deepEqual(replay.body.data, { requeued: 1 });
    await receiver.until(() => arrivals(guid).length === 4);
    // Every event written delivered, none pending: nothing else goes again.
    await eventually(() => Promise.all(events.map(async (e) => (await h.direct('/events/attempts', { guid, event_id: e.id })).body.data.event.webhook.state)),
      (states) => states.every((st) => st === 'delivered'), 10_000);
    assert.deepEqual(arrivals(guid).map((r) => Number(r.headers['x-wxgate-sn'])), [1, 2, 3, 1], 'sn 1 again, once; 2 and 3 once each');
  });
});
