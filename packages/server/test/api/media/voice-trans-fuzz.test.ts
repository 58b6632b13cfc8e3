// Junk bodies on the six voice-transcription endpoints — shaped like their fields, or a working body with a field or two
// spoiled, with real voice ids, a real voice message and real SILK/MP3 among the values — never produce a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { endpointList, type EndpointSpec } from '@wxgate/contract';
import { pcmToMp3 } from '../../../src/driver/cdn/audio.ts';
import { encodeSilkVoice, sineTonePcm } from '../../../src/wechat/silk.ts';
import { fuzzEndpoints, junkBody } from '../../fuzz-bodies.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

const PATHS = ['/msg/new_trans_voice_id', '/msg/upload_voice_trans', '/msg/check_voice_trans', '/msg/get_voice_trans', '/other/voice_trans', '/other/voice_trans_block'];

describe('fuzz: voice transcription', () => {
  let h: Harness;
  let guid: string;
  let voiceIds: string[];
  let msgId: string;
  let silk: Buffer;
  let mp3: Buffer;
  before(async () => {
    // a quick stand-in engine: the fuzz is about what reaches it, not about recognition (voice-trans.test.ts is)
    h = await startHarness({
      rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 },
      stt: { engine: 'command', command: `sh -c 'echo heard' {wav}`, pocketsphinxPath: 'pocketsphinx_continuous', timeoutMs: 10_000 },
    });
    const me = await loggedIn(h, { nickname: 'Fuzz' });
    const friend = (await ok(h.direct('/sandbox/people/create', { nickname: 'Friend', friends: [me.wxid] }))).wxid;
    guid = me.guid;
    const tone = sineTonePcm(800, 440);
    silk = (await encodeSilkVoice(tone)).silk;
    mp3 = await pcmToMp3(tone);
    msgId = (await ok(h.direct('/sandbox/messages/send_media', { from_wxid: friend, to_username: me.wxid, kind: 'voice', url: silk.toString('base64') }))).msg_id;
    voiceIds = [];
    for (let i = 0; i < 4; i++) voiceIds.push((await ok(h.direct('/msg/new_trans_voice_id', { guid }))).voice_id);
  });
  after(() => h.close());

  test('every voice endpoint survives junk on both transports', async () => {
    const specs = PATHS.map((p) => endpointList.find((e) => e.path === p)!);
    const half = Math.floor(silk.length / 2);
    const templates: Record<string, Record<string, unknown>> = {
      '/msg/upload_voice_trans': { voice_id: voiceIds[0], msg_id: msgId, length: 800 },
      '/msg/check_voice_trans': { voice_id: voiceIds[0], msg_id: msgId, length: 800 },
      '/msg/get_voice_trans': { voice_id: voiceIds[0] },
      '/other/voice_trans': { url: silk.toString('base64'), format: 1, block_size: 4096 },
      '/other/voice_trans_block': { voice_id: voiceIds[1], block_data: silk.subarray(0, half).toString('base64'), seq: 0, offset: 0, end_flag: 0 },
    };
    const plausible = [
      ...voiceIds, msgId, silk.toString('base64'), `data:audio/mpeg;base64,${mp3.toString('base64')}`, mp3.toString('base64'),
      silk.subarray(half).toString('base64'), Buffer.from('\x02#!SILK_V3', 'latin1').toString('base64'), 'AAAA', '%%%', '', ' ',
      'http://127.0.0.1:1/voice.silk', 'file:///etc/passwd', '-1', '0', '1', '2', String(half), '9223372036854775807',
    ];
    const junk = (spec: EndpointSpec) => junkBody(spec, {
      guid, plausible, template: templates[spec.path],
      extraValues: () => [fc.constantFrom(0, 1, 2, -1, half, 2 ** 31)],
    });
    const codes = await fuzzEndpoints(h, specs, junk, { numRuns: 40, seed: 6061 });
    assert.ok((codes.get(422) ?? 0) > 0 && (codes.get(200) ?? 0) > 0, `saw ${JSON.stringify([...codes])}`);
    // the account still transcribes afterwards
    assert.deepEqual(await ok(h.direct('/other/voice_trans', { guid, url: silk.toString('base64'), format: 1 })), { text: 'heard' });
  });
});
