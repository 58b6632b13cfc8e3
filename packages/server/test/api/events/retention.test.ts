// Retention: events and attempts past the configured period are pruned; pending ones are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetentionPruner } from '../../../src/delivery/retention.ts';
import { startHarness } from '../../harness.ts';

test('events older than the retention period are pruned, newer and still-pending ones stay', async () => {
  const h = await startHarness({ eventRetentionDays: 1 });
  try {
    const delivered = await h.createInstance();
    const waiting = await h.createInstance();
    const publish = async (guid: string, n: number) => {
      const instance = await h.app.services.instances.find(guid);
      return h.app.services.events.publish(instance!, Array.from({ length: n }, (_, i) => ({ notifyType: 1040, data: { i } })));
    };
    const old = await publish(delivered, 3);
    for (const e of old) await h.app.store.events.setWebhookStatus(e.id, { state: 'delivered', attempts: 1, nextAttemptAt: null });
    // A receiver that refuses connections: the event stays pending, waiting for its next attempt.
    await h.direct('/client/set_notify_url', { guid: waiting, notify_url: 'http://127.0.0.1:9/closed' });
    const stuck = await publish(waiting, 1);
    for (let i = 0; i < 100 && (await h.app.store.events.get(stuck[0]!.id))?.webhook.attempts === 0; i++) await new Promise((r) => setTimeout(r, 10));
    h.clock.advance(2 * 86_400_000);
    await publish(delivered, 2);

    const pruner = new RetentionPruner(h.app.store, () => h.clock.now(), 86_400_000, h.app.http.log);
    assert.equal(await pruner.prune(), 3);
    const left = (await h.direct('/events/list', { guid: delivered })).body.data;
    assert.deepEqual(left.events.map((e: { sn: number }) => e.sn), [4, 5]);
    assert.equal(left.last_sn, 5, 'sequence numbers continue after pruning');
    assert.equal((await h.app.store.events.get(stuck[0]!.id))?.webhook.state, 'pending', 'an event still waiting for delivery is never pruned');
    await h.app.store.events.setWebhookStatus(stuck[0]!.id, { state: 'failed', attempts: 8, nextAttemptAt: null });
    assert.equal(await pruner.prune(), 1, 'once out of the queue, it goes too');
    assert.deepEqual(await h.app.store.events.attempts(stuck[0]!.id), [], 'its attempts went with it');
  } finally {
    await h.close();
  }
});
