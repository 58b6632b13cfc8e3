// Conformance: the iLink bridge's bots — found by token hash only, listed oldest first, removed only from their own
// instance, unique hashes, and gone with their instance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IlinkBotRecord } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const ILINK_METHODS = ['ilinkBots.insert', 'ilinkBots.findByHash', 'ilinkBots.listByGuid', 'ilinkBots.remove'] as const;

const bot = (id: string, guid: string, createdAt: number): IlinkBotRecord => ({
  id, appId: 'app-a', guid, tokenHash: `hash-of-${id}`, userWxid: `wxid_${id}`, createdAt,
});

export function ilinkConformance(make: StoreFactory): void {
  test('ilink bots: by hash, oldest first per instance, removed only from their own instance, gone with it', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    await store.ilinkBots.insert(bot('ilb_b', 'g1', 2));
    await store.ilinkBots.insert(bot('ilb_a', 'g1', 2));
    await store.ilinkBots.insert(bot('ilb_c', 'g1', 1));
    await store.ilinkBots.insert(bot('ilb_d', 'g2', 1));
    assert.deepEqual(await store.ilinkBots.findByHash('hash-of-ilb_a'), bot('ilb_a', 'g1', 2));
    assert.equal(await store.ilinkBots.findByHash('hash-of-nothing'), undefined);
    assert.deepEqual((await store.ilinkBots.listByGuid('g1')).map((b) => b.id), ['ilb_c', 'ilb_a', 'ilb_b']);
    await assert.rejects(store.ilinkBots.insert({ ...bot('ilb_e', 'g2', 3), tokenHash: 'hash-of-ilb_d' }), 'a hash is unique');
    assert.equal(await store.ilinkBots.remove('g2', 'ilb_a'), false, 'another instance\'s bot is not removed');
    assert.equal(await store.ilinkBots.remove('g1', 'ilb_a'), true);
    assert.equal(await store.ilinkBots.remove('g1', 'ilb_a'), false);
    assert.equal(await store.ilinkBots.findByHash('hash-of-ilb_a'), undefined);
    await store.instances.delete('g1');
    assert.deepEqual(await store.ilinkBots.listByGuid('g1'), []);
    assert.equal(await store.ilinkBots.findByHash('hash-of-ilb_b'), undefined);
    assert.deepEqual((await store.ilinkBots.listByGuid('g2')).map((b) => b.id), ['ilb_d']);
  }));
}
