// Conformance: the Wechaty bridge's tokens — found by hash only, listed oldest first, scoped to their instance on
// removal, unique hashes, and gone with their instance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WechatyTokenRecord } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const WECHATY_METHODS = ['wechatyTokens.insert', 'wechatyTokens.findByHash', 'wechatyTokens.listByGuid', 'wechatyTokens.remove'] as const;

const token = (id: string, guid: string, createdAt: number): WechatyTokenRecord => ({
  id, appId: 'app-a', guid, tokenHash: `hash-of-${id}`, createdAt,
});

export function wechatyConformance(make: StoreFactory): void {
  test('wechaty tokens: by hash, oldest first per instance, removed only from their own instance, gone with it', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    await store.wechatyTokens.insert(token('wct_b', 'g1', 2));
    await store.wechatyTokens.insert(token('wct_a', 'g1', 2));
    await store.wechatyTokens.insert(token('wct_c', 'g1', 1));
    await store.wechatyTokens.insert(token('wct_d', 'g2', 1));
    assert.deepEqual(await store.wechatyTokens.findByHash('hash-of-wct_a'), token('wct_a', 'g1', 2));
    assert.equal(await store.wechatyTokens.findByHash('hash-of-nothing'), undefined);
    assert.deepEqual((await store.wechatyTokens.listByGuid('g1')).map((t) => t.id), ['wct_c', 'wct_a', 'wct_b']);
    await assert.rejects(store.wechatyTokens.insert({ ...token('wct_e', 'g2', 3), tokenHash: 'hash-of-wct_d' }), 'a hash is unique');
    assert.equal(await store.wechatyTokens.remove('g2', 'wct_a'), false, 'another instance\'s token is not removed');
    assert.equal(await store.wechatyTokens.remove('g1', 'wct_a'), true);
    assert.equal(await store.wechatyTokens.remove('g1', 'wct_a'), false);
    assert.equal(await store.wechatyTokens.findByHash('hash-of-wct_a'), undefined);
    await store.instances.delete('g1');
    assert.deepEqual(await store.wechatyTokens.listByGuid('g1'), []);
    assert.equal(await store.wechatyTokens.findByHash('hash-of-wct_b'), undefined);
    assert.deepEqual((await store.wechatyTokens.listByGuid('g2')).map((t) => t.id), ['wct_d']);
  }));
}
