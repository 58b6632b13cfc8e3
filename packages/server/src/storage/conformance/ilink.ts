// Conformance: the iLink bridge's bots — found by token hash only, listed oldest first, removed only from their own
// instance, unique hashes, and gone with their instance — and its pending QR codes: changed and removed only from the
// status the caller saw (one of two racing callers wins), pruned by age and count, gone with the instance that scanned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IlinkBotRecord, IlinkQrRecord } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const ILINK_METHODS = [
  'ilinkBots.insert', 'ilinkBots.findByHash', 'ilinkBots.listByGuid', 'ilinkBots.remove',
  'ilinkQrCodes.insert', 'ilinkQrCodes.find', 'ilinkQrCodes.update', 'ilinkQrCodes.remove', 'ilinkQrCodes.prune',
] as const;

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

const qr = (codeHash: string, createdAt: number, change: Partial<IlinkQrRecord> = {}): IlinkQrRecord => ({
  codeHash, createdAt, status: 'wait', reported: null, appId: null, guid: null, botId: null, tokenNonce: null, verifyCodeHash: null,
  verifyFailures: 0, redirectHost: null, presentedBotIds: [], ...change,
});

export function ilinkQrConformance(make: StoreFactory): void {
  test('ilink QR codes: compare-and-set on the status, removed once, pruned by age then count, gone with their instance', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    await store.ilinkQrCodes.insert(qr('h1', 10, { presentedBotIds: ['ilb_x', 'ilb_y'] }));
    assert.deepEqual(await store.ilinkQrCodes.find('h1'), qr('h1', 10, { presentedBotIds: ['ilb_x', 'ilb_y'] }));
    assert.equal(await store.ilinkQrCodes.find('nothing'), undefined);
    await assert.rejects(store.ilinkQrCodes.insert(qr('h1', 11)), 'a code hash is unique');
    assert.equal(await store.ilinkQrCodes.update('h1', 'scaned', { status: 'confirmed' }), false, 'not from a status it is not in');
    assert.equal(await store.ilinkQrCodes.update('h1', 'wait', { status: 'scaned', appId: 'app-a', guid: 'g1' }), true);
    assert.equal(await store.ilinkQrCodes.update('h1', 'wait', { status: 'expired' }), false, 'the second of two racing changes loses');
    assert.equal(await store.ilinkQrCodes.update('h1', 'scaned', { reported: 'scaned' }), true);
    assert.equal(await store.ilinkQrCodes.update('h1', 'scaned', {}), true, 'an empty change answers whether the status holds');
    assert.equal(await store.ilinkQrCodes.update('h1', 'scaned', { status: 'need_verifycode', verifyCodeHash: 'v', verifyFailures: 3, botId: 'ilb_z', tokenNonce: 'n' }), true);
    assert.deepEqual(await store.ilinkQrCodes.find('h1'), qr('h1', 10, {
      status: 'need_verifycode', reported: 'scaned', appId: 'app-a', guid: 'g1', botId: 'ilb_z', tokenNonce: 'n', verifyCodeHash: 'v', verifyFailures: 3, presentedBotIds: ['ilb_x', 'ilb_y'],
    }));
    assert.equal(await store.ilinkQrCodes.update('h1', 'need_verifycode', { status: 'scaned_but_redirect', redirectHost: '10.0.0.7:8901' }), true);
    assert.equal((await store.ilinkQrCodes.find('h1'))?.redirectHost, '10.0.0.7:8901');
    assert.equal(await store.ilinkQrCodes.update('h1', 'scaned_but_redirect', { status: 'need_verifycode', redirectHost: null }), true, 'a redirect host is cleared with null');
    assert.equal((await store.ilinkQrCodes.find('h1'))?.redirectHost, null);
    assert.equal(await store.ilinkQrCodes.remove('h1', 'confirmed'), false, 'not removed from another status');
    assert.equal(await store.ilinkQrCodes.remove('h1', 'need_verifycode'), true);
    assert.equal(await store.ilinkQrCodes.remove('h1', 'need_verifycode'), false, 'removed once');

    for (const [hash, at] of [['a', 1], ['b', 5], ['c', 6], ['d', 7], ['e', 8]] as const) await store.ilinkQrCodes.insert(qr(hash, at));
    await store.ilinkQrCodes.prune(5, 2);
    const left = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(async (h) => (await store.ilinkQrCodes.find(h)) !== undefined));
    assert.deepEqual(left, [false, false, false, true, true], 'older than 5 dropped, then all but the newest 2');
    await store.ilinkQrCodes.update('e', 'wait', { status: 'scaned', appId: 'app-a', guid: 'g1' });
    await store.instances.delete('g1');
    assert.equal(await store.ilinkQrCodes.find('e'), undefined, 'a code scanned by a removed instance goes with it');
    assert.ok(await store.ilinkQrCodes.find('d'));
  }));
}
