// The webhook queue's cost: deliveries written in group commits (never waited for, never sent twice, all written at a stop);
// events of an instance with no notify_url never enter it.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };
const EVENTS = 1500;

let h: Harness;
let receiver: Receiver;
before(async () => {
  h = await startHarness(FAST, undefined, { realTime: true });
  receiver = await new Receiver().start();
});
after(async () => {
  await h.close();
  await receiver.close();
});

const msg = (i: number) => ({ notifyType: 1010, data: { msg_id: String(i), msg_type: 1, content: `burst ${i}`, from_username: 'wxid_sender00000001', to_username: 'wxid_me', create_time: 1 } });

test('a burst to one instance arrives once each in sn order; a stop writes every delivery, so a restart sends none again', async () => {
  const guid = await h.createInstance();
  assert.equal((await h.direct('/client/set_notify_url', { guid, notify_url: receiver.url })).status, 200);
  const instance = (await h.app.services.instances.find(guid))!;
  // Published while the lane delivers: it reads pages past deliveries whose state is not written yet.
  for (let i = 0; i < EVENTS; i += 50) await h.app.services.events.publish(instance, Array.from({ length: 50 }, (_, k) => msg(i + k)));
  const mine = () => receiver.received.filter((r) => r.json.guid === guid).map((r) => Number(r.headers['x-wxgate-sn']));
  await receiver.until(() => mine().length >= EVENTS, 60_000);
  // Stop at once: the last group commit may not have been written yet.
  h = await h.restart();
  assert.deepEqual(mine(), Array.from({ length: EVENTS }, (_, i) => i + 1), 'each event once, in sn order');

  assert.deepEqual(await h.app.store.events.pending(guid, 10), [], 'every delivery was written before the stop');
  const events = await h.app.store.events.range(guid, 1, EVENTS);
  for (const e of [events[0]!, events[EVENTS >> 1]!, events.at(-1)!]) {
    const attempts = await h.app.store.events.attempts(e.id);
    assert.equal(attempts.length, 1, `one attempt row for sn ${e.sn}`);
    assert.equal(attempts[0]!.statusCode, 200);
  }
  await sleep(300);
  assert.equal(mine().length, EVENTS, 'nothing sent again after the restart');
});

test('events of an instance without a notify_url never enter the webhook queue; once it has one, only newer events are sent', async () => {
  const guid = await h.createInstance();
  const instance = () => h.app.services.instances.find(guid).then((i) => i!);
  const [first] = await h.app.services.events.publish(await instance(), [msg(1), msg(2)]);
  // Skipped when written, not later by a lane: nothing is pending even before any delivery work could run.
  assert.deepEqual(await h.app.store.events.pending(guid, 10), []);
  assert.equal((await h.app.store.events.get(first!.id))!.filtered, false, 'still in the log and the streams');
  const listed = (await h.direct('/events/list', { guid })).body.data.events;
  assert.deepEqual(listed.map((e: { webhook: { state: string } }) => e.webhook.state), ['skipped', 'skipped']);

  assert.equal((await h.direct('/client/set_notify_url', { guid, notify_url: receiver.url })).status, 200);
  await h.app.services.events.publish(await instance(), [msg(3)]);
  await receiver.until((all) => all.some((r) => r.json.guid === guid));
  await sleep(100);
  assert.deepEqual(receiver.received.filter((r) => r.json.guid === guid).map((r) => r.headers['x-wxgate-sn']), ['3']);
});
