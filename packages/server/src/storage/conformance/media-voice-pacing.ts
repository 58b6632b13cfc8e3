// Conformance: the CDN object index (renditions per file_id, blob references, named server secrets), voice jobs
// (patches, blocks in seq order, pruning with their blocks) and send pacing (settings, queue order, send log).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CdnObjectRecord, PacedSendRecord, SendPacingSettings, VoiceTranscriptionRecord } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const MEDIA_VOICE_PACING_METHODS = [
  'media.insert', 'media.get', 'media.renditions', 'media.blobReferences', 'media.delete', 'media.secret',
  'voice.insert', 'voice.get', 'voice.update', 'voice.addBlock', 'voice.block', 'voice.blocks', 'voice.prune',
  'sendPacing.settings', 'sendPacing.allSettings', 'sendPacing.saveSettings', 'sendPacing.deviceLogin', 'sendPacing.recordDeviceLogin',
  'sendPacing.enqueue', 'sendPacing.pending', 'sendPacing.markSending', 'sendPacing.remove', 'sendPacing.recordSent', 'sendPacing.sentSince',
  'sendPacing.forgetSentBefore', 'sendPacing.removeInstance', 'sendPacing.queuedInstances', 'sendPacing.withdraw', 'sendPacing.keepOutcome',
  'sendPacing.takeOutcome', 'sendPacing.forgetOutcomesBefore',
] as const;

const cdnObject = (fileId: string, rendition: CdnObjectRecord['rendition'], blobId: string): CdnObjectRecord => ({
  fileId, appId: 'app-a', ownerGuid: 'g1', mediaKind: 'image', rendition, blobId, keyVerifier: 'kv', md5: 'd41d8cd98f00b204e9800998ecf8427e',
  size: 1234, cipherSize: 1248, crc32: 4_294_967_295, width: 800, height: 600, durationMs: 0, fileName: '照片.jpg', createdAt: 1,
});

export const voiceJob = (voiceId: string, updatedAt = 1): VoiceTranscriptionRecord => ({
  voiceId, guid: 'g1', appId: 'app-a', state: 'created', source: null, msgId: '', lengthMs: 0, nextSeq: null, receivedBytes: 0, text: '', error: '',
  errorMessage: '', createdAt: 1, updatedAt,
});

const settings: SendPacingSettings = {
  enabled: true, answer: 'queued', minDelayMs: 800, maxDelayMs: 3_000, perMinute: 20, perDay: 2_000, quietStart: '23:00', quietEnd: '07:00',
  utcOffsetMinutes: 480, warmupDays: 3, massSendRecipients: 30,
};

export function mediaVoicePacingConformance(make: StoreFactory): void {
  test('CDN objects: renditions under one file_id, looked up in any case, blob references counted, deleted together', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const fileId = '3057020100044b30490201000204a1b2c3d4';
    await store.media.insert(cdnObject(fileId, 'original', 'blob-1'));
    await store.media.insert(cdnObject(fileId, 'thumb', 'blob-2'));
    await store.media.insert({ ...cdnObject('30570201000400ff', 'main', 'blob-1'), ownerGuid: null, mediaKind: 'video', durationMs: 15_000 });
    assert.deepEqual(await store.media.get(fileId, 'original'), cdnObject(fileId, 'original', 'blob-1'));
    assert.deepEqual(await store.media.get(fileId.toUpperCase(), 'thumb'), cdnObject(fileId, 'thumb', 'blob-2'));
    assert.equal(await store.media.get(fileId, 'mid'), undefined);
    assert.deepEqual((await store.media.renditions(fileId)).map((r) => r.rendition).sort(), ['original', 'thumb']);
    assert.equal((await store.media.get('30570201000400ff', 'main'))?.ownerGuid, null);
    assert.equal(await store.media.blobReferences('blob-1'), 2);
    await assert.rejects(store.media.insert(cdnObject(fileId, 'original', 'blob-3')), 'one row per (file_id, rendition)');
    await store.media.delete(fileId);
    assert.deepEqual(await store.media.renditions(fileId), []);
    assert.equal(await store.media.blobReferences('blob-1'), 1);
    assert.equal(await store.media.blobReferences('blob-2'), 0);
  }));

  test('a named server secret is stored by the first caller; later candidates get the stored one', () => withStore(make, async (store) => {
    assert.equal(await store.media.secret('download-links', 'first-candidate', 1), 'first-candidate');
    assert.equal(await store.media.secret('download-links', 'second-candidate', 2), 'first-candidate');
    const racers = await Promise.all(['a', 'b', 'c'].map((c) => store.media.secret('racy', c, 3)));
    assert.equal(new Set(racers).size, 1, 'racing first callers agree on one secret');
  }));

  test('voice jobs: patches change only what they name, blocks join in seq order, prune drops jobs with their blocks', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    await store.voice.insert(voiceJob('v1'));
    assert.deepEqual(await store.voice.get('g1', 'v1'), voiceJob('v1'));
    assert.equal(await store.voice.get('g2', 'v1'), undefined, 'other instances do not see it');
    await store.voice.update('g1', 'v1', { state: 'receiving', source: 'blocks', nextSeq: 2, receivedBytes: 6 }, 50);
    assert.deepEqual(await store.voice.get('g1', 'v1'), { ...voiceJob('v1'), state: 'receiving', source: 'blocks', nextSeq: 2, receivedBytes: 6, updatedAt: 50 });
    await store.voice.update('g1', 'v1', { state: 'failed', error: 'VOICE_TRANS_FAILED', errorMessage: '无法识别' }, 60);
    assert.deepEqual(await store.voice.get('g1', 'v1'), {
      ...voiceJob('v1'), state: 'failed', source: 'blocks', nextSeq: 2, receivedBytes: 6, error: 'VOICE_TRANS_FAILED', errorMessage: '无法识别', updatedAt: 60,
    });

    await store.voice.addBlock('g1', 'v1', 2, Buffer.from([4, 5, 6]));
    await store.voice.addBlock('g1', 'v1', 1, Buffer.from([1, 2, 3]));
    await store.voice.addBlock('g1', 'v1', 10, Buffer.from([0, 255]));
    await assert.rejects(store.voice.addBlock('g1', 'v1', 1, Buffer.from([9])), 'seq is unique per job');
    assert.deepEqual(await store.voice.block('g1', 'v1', 2), Buffer.from([4, 5, 6]));
    assert.equal(await store.voice.block('g1', 'v1', 3), undefined);
    assert.deepEqual(await store.voice.blocks('g1', 'v1'), Buffer.from([1, 2, 3, 4, 5, 6, 0, 255]), 'numeric seq order, not text order');
    assert.deepEqual(await store.voice.blocks('g1', 'none'), Buffer.alloc(0));

    await store.voice.insert(voiceJob('v2', 100));
    assert.equal(await store.voice.prune(100), 1, 'updated before 100 goes; at 100 stays');
    assert.equal(await store.voice.get('g1', 'v1'), undefined);
    assert.equal(await store.voice.block('g1', 'v1', 1), undefined);
    await store.voice.insert(voiceJob('v1', 200));
    assert.deepEqual(await store.voice.blocks('g1', 'v1'), Buffer.alloc(0), 'a job made again under the same id starts without blocks');
  }));

  test('send pacing: settings per instance, the device login kept while the same account returns', () => withStore(make, async (store) => {
    assert.equal(await store.sendPacing.settings('g1'), undefined);
    await store.sendPacing.saveSettings('g1', settings);
    await store.sendPacing.saveSettings('g2', { ...settings, enabled: false, answer: 'blocking' });
    await store.sendPacing.saveSettings('g1', { ...settings, perMinute: 5 });
    assert.deepEqual(await store.sendPacing.settings('g1'), { ...settings, perMinute: 5 });
    assert.deepEqual((await store.sendPacing.allSettings()).sort((a, b) => a.guid.localeCompare(b.guid)), [
      { guid: 'g1', settings: { ...settings, perMinute: 5 } }, { guid: 'g2', settings: { ...settings, enabled: false, answer: 'blocking' } },
    ]);
    assert.equal(await store.sendPacing.deviceLogin('g1'), undefined);
    await store.sendPacing.recordDeviceLogin('g1', 'wxid_a', 100);
    await store.sendPacing.recordDeviceLogin('g1', 'wxid_a', 200);
    assert.deepEqual(await store.sendPacing.deviceLogin('g1'), { wxid: 'wxid_a', at: 100 });
    await store.sendPacing.recordDeviceLogin('g1', 'wxid_b', 300);
    assert.deepEqual(await store.sendPacing.deviceLogin('g1'), { wxid: 'wxid_b', at: 300 }, 'another account is a new device login');
  }));

  test('send pacing: the queue keeps its order through state changes; the send log is per instance and forgets old sends', () => withStore(make, async (store) => {
    const queued = (queueId: string, guid: string, enqueuedAt: number): PacedSendRecord => ({
      queueId, appId: 'app-a', guid, path: '/msg/send_text', request: { to_wxid: 'wxid_b', content: `#${queueId}` }, recipient: 'wxid_b', enqueuedAt, state: 'queued',
      answer: 'queued', waiter: null,
    });
    await store.sendPacing.enqueue(queued('q2', 'g1', 5));
    await store.sendPacing.enqueue(queued('q1', 'g2', 1));
    await store.sendPacing.enqueue(queued('q3', 'g1', 9));
    await store.sendPacing.markSending('q2');
    assert.deepEqual(await store.sendPacing.pending(), [{ ...queued('q2', 'g1', 5), state: 'sending' }, queued('q1', 'g2', 1), queued('q3', 'g1', 9)], 'in the order queued');
    await store.sendPacing.remove('q1');
    assert.deepEqual((await store.sendPacing.pending()).map((r) => r.queueId), ['q2', 'q3']);

    await store.sendPacing.recordSent('g1', { at: 100, recipient: 'wxid_b' });
    await store.sendPacing.recordSent('g1', { at: 200, recipient: '' });
    await store.sendPacing.recordSent('g2', { at: 150, recipient: 'wxid_c' });
    assert.deepEqual(await store.sendPacing.sentSince('g1', 0), [{ at: 100, recipient: 'wxid_b' }, { at: 200, recipient: '' }]);
    assert.deepEqual(await store.sendPacing.sentSince('g1', 100), [{ at: 200, recipient: '' }], 'after `since`, exclusive');
    await store.sendPacing.forgetSentBefore(150);
    assert.deepEqual(await store.sendPacing.sentSince('g1', 0), [{ at: 200, recipient: '' }]);
    assert.deepEqual(await store.sendPacing.sentSince('g2', 0), [], 'forgotten at or before the time');

    await store.sendPacing.saveSettings('g1', settings);
    await store.sendPacing.recordDeviceLogin('g1', 'wxid_a', 1);
    await store.sendPacing.removeInstance('g1');
    assert.equal(await store.sendPacing.settings('g1'), undefined);
    assert.equal(await store.sendPacing.deviceLogin('g1'), undefined);
    assert.deepEqual(await store.sendPacing.pending(), []);
    assert.deepEqual(await store.sendPacing.sentSince('g1', 0), []);
  }));

  test('send pacing on a cluster: blocking sends stored with their waiting node, withdrawn only while queued, outcomes kept once', () => withStore(make, async (store) => {
    const record = (queueId: string, guid: string, answer: PacedSendRecord['answer']): PacedSendRecord => ({
      queueId, appId: 'app-a', guid, path: '/msg/send_text', request: { to_wxid: 'wxid_b', content: '排队 ✓' }, recipient: 'wxid_b', enqueuedAt: 7,
      state: 'queued', answer, waiter: answer === 'blocking' ? 'node-1' : null,
    });
    await store.sendPacing.enqueue(record('b1', 'g1', 'blocking'));
    await store.sendPacing.enqueue(record('q1', 'g2', 'queued'));
    await store.sendPacing.enqueue(record('b2', 'g1', 'blocking'));
    assert.deepEqual(await store.sendPacing.pending('g1'), [record('b1', 'g1', 'blocking'), record('b2', 'g1', 'blocking')], 'one instance, in the order queued');
    assert.deepEqual((await store.sendPacing.queuedInstances()).sort(), ['g1', 'g2']);

    await store.sendPacing.markSending('b1');
    assert.equal(await store.sendPacing.withdraw('b1'), false, 'handed to the driver: no longer withdrawn');
    assert.equal(await store.sendPacing.withdraw('b2'), true);
    assert.equal(await store.sendPacing.withdraw('b2'), false, 'gone already');
    assert.deepEqual((await store.sendPacing.pending()).map((r) => r.queueId), ['b1', 'q1']);

    const failed = { ok: false, error: { name: 'NOT_FRIEND', code: 40301, message: '不是好友', data: { baseResponse: { ret: -44 } } } } as const;
    await store.sendPacing.keepOutcome('b1', 'g1', { ok: true, result: { newMsgId: '9007199254740993', msgId: 12 } }, 100);
    await store.sendPacing.keepOutcome('b3', 'g1', failed, 200);
    await store.sendPacing.keepOutcome('b4', 'g2', failed, 300);
    assert.equal(await store.sendPacing.takeOutcome('nope'), undefined);
    assert.deepEqual(await store.sendPacing.takeOutcome('b1'), { ok: true, result: { newMsgId: '9007199254740993', msgId: 12 } });
    assert.equal(await store.sendPacing.takeOutcome('b1'), undefined, 'taken once');
    await store.sendPacing.forgetOutcomesBefore(200);
    assert.equal(await store.sendPacing.takeOutcome('b3'), undefined, 'forgotten at or before the time');
    await store.sendPacing.keepOutcome('b5', 'g2', failed, 400);
    await store.sendPacing.removeInstance('g2');
    assert.equal(await store.sendPacing.takeOutcome('b5'), undefined, 'removed with its instance');
    assert.deepEqual(await store.sendPacing.queuedInstances(), ['g1']);
  }));
}
