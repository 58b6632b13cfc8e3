// Conformance: the ilink driver's links — one per instance, replaced by a new login (its context tokens dropped), the
// cursor moved only with a commit, context tokens per conversation, and all of it gone with the instance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IlinkLinkRecord } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const ILINK_LINK_METHODS = [
  'ilinkLinks.save', 'ilinkLinks.get', 'ilinkLinks.setUpdatesBuf', 'ilinkLinks.remove', 'ilinkLinks.setContextToken', 'ilinkLinks.contextToken',
  'ilinkLinks.setVoice', 'ilinkLinks.voice',
] as const;

const link = (guid: string, botToken: string, createdAt: number): IlinkLinkRecord => ({
  guid, botToken, ilinkBotId: `bot-${botToken}@im.bot`, ilinkUserId: `user-of-${guid}@im.wechat`, baseUrl: 'https://ilinkai.weixin.qq.com', updatesBuf: '', createdAt,
});

export function ilinkLinkConformance(make: StoreFactory): void {
  test('ilink links: one per instance, replaced by a new login, cursor and context tokens kept, rolled back with a transaction, gone with the instance', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    assert.equal(await store.ilinkLinks.get('g1'), undefined);
    await store.ilinkLinks.save(link('g1', 'token-1', 1));
    await store.ilinkLinks.save(link('g2', 'token-2', 2));
    assert.deepEqual(await store.ilinkLinks.get('g1'), link('g1', 'token-1', 1));

    await store.ilinkLinks.setUpdatesBuf('g1', 'Y3Vyc29yLTE=');
    await store.ilinkLinks.setContextToken('g1', 'wxid_alice', 'ctx-a1', 10);
    await store.ilinkLinks.setContextToken('g1', 'wxid_alice', 'ctx-a2', 11);
    await store.ilinkLinks.setContextToken('g1', '1@chatroom', 'ctx-room', 12);
    await store.ilinkLinks.setContextToken('g2', 'wxid_alice', 'ctx-other', 13);
    assert.equal((await store.ilinkLinks.get('g1'))?.updatesBuf, 'Y3Vyc29yLTE=');
    assert.equal(await store.ilinkLinks.contextToken('g1', 'wxid_alice'), 'ctx-a2', 'the latest token of a conversation wins');
    assert.equal(await store.ilinkLinks.contextToken('g1', '1@chatroom'), 'ctx-room');
    assert.equal(await store.ilinkLinks.contextToken('g1', 'wxid_nobody'), undefined);

    // The cursor moves with the messages it covers, or not at all.
    await assert.rejects(store.transaction(async (tx) => {
      await tx.ilinkLinks.setUpdatesBuf('g1', 'bmV2ZXI=');
      throw new Error('the publish failed');
    }));
    assert.equal((await store.ilinkLinks.get('g1'))?.updatesBuf, 'Y3Vyc29yLTE=');

    // A new login replaces the link and drops the old bot's context tokens; the other instance keeps its own.
    await store.ilinkLinks.save(link('g1', 'token-3', 20));
    assert.deepEqual(await store.ilinkLinks.get('g1'), link('g1', 'token-3', 20));
    assert.equal(await store.ilinkLinks.contextToken('g1', 'wxid_alice'), undefined);
    assert.equal(await store.ilinkLinks.contextToken('g2', 'wxid_alice'), 'ctx-other');

    assert.equal(await store.ilinkLinks.remove('g1'), true);
    assert.equal(await store.ilinkLinks.remove('g1'), false);
    assert.equal(await store.ilinkLinks.get('g1'), undefined);
    await store.instances.delete('g2');
    assert.equal(await store.ilinkLinks.get('g2'), undefined);
    assert.equal(await store.ilinkLinks.contextToken('g2', 'wxid_alice'), undefined);
  }));

  test('ilink voices: found by message id per instance, kept across a new login, gone with the instance', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    await store.ilinkLinks.save(link('g1', 'token-1', 1));
    await store.ilinkLinks.setVoice('g1', '4001', { fileId: 'voice-file-1', aesKey: 'ab'.repeat(16) }, 10);
    await store.ilinkLinks.setVoice('g2', '4001', { fileId: 'voice-file-2', aesKey: 'cd'.repeat(16) }, 11);
    assert.deepEqual(await store.ilinkLinks.voice('g1', '4001'), { fileId: 'voice-file-1', aesKey: 'ab'.repeat(16) });
    assert.deepEqual(await store.ilinkLinks.voice('g2', '4001'), { fileId: 'voice-file-2', aesKey: 'cd'.repeat(16) }, 'per instance');
    assert.equal(await store.ilinkLinks.voice('g1', '4002'), undefined);
    await store.ilinkLinks.setVoice('g1', '4001', { fileId: 'voice-file-3', aesKey: 'ef'.repeat(16) }, 12);
    assert.deepEqual(await store.ilinkLinks.voice('g1', '4001'), { fileId: 'voice-file-3', aesKey: 'ef'.repeat(16) }, 'the latest object wins');
    // A voice is the instance's CDN object, not the bot's: a new login keeps it, the instance's deletion takes it.
    await store.ilinkLinks.save(link('g1', 'token-2', 20));
    assert.equal(await store.ilinkLinks.remove('g1'), true);
    assert.deepEqual(await store.ilinkLinks.voice('g1', '4001'), { fileId: 'voice-file-3', aesKey: 'ef'.repeat(16) });
    await store.instances.delete('g1');
    assert.equal(await store.ilinkLinks.voice('g1', '4001'), undefined);
    assert.deepEqual(await store.ilinkLinks.voice('g2', '4001'), { fileId: 'voice-file-2', aesKey: 'cd'.repeat(16) });
  }));
}
