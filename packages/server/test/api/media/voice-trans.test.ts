// Voice to text end to end: flite speaks English, silk-wasm encodes it as a WeChat voice, a friend sends it, the bot
// transcribes it through the /msg job flow, /other/voice_trans (SILK and MP3) and /other/voice_trans_block; the word
// error rate stays within 15%. Bad input is a 4xx from the catalog, and a missing engine the documented 503.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pcmToMp3 } from '../../../src/driver/cdn/audio.ts';
import { encodeSilkVoice, sineTonePcm } from '../../../src/wechat/silk.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';
import { SENTENCES, speak, speakSilk, speechToolsMissing } from '../../speech-fixtures.ts';
import { corpusWordErrorRate, wordErrorRate } from '../../word-error-rate.ts';

const missing = speechToolsMissing();
const MAX_WER = 0.15;
/** Polling for the text makes many calls on a clock that does not move: the vendor's rate limit is not under test. */
const UNLIMITED = { rateLimit: { maxCalls: 100_000, windowSeconds: 60, lockSeconds: 60 } };
const dataUrl = (b: Buffer, type = 'application/octet-stream') => `data:${type};base64,${b.toString('base64')}`;

type Account = { guid: string; wxid: string };

/** Two friends: `a` sends voice messages to `b`. */
async function friends(h: Harness): Promise<{ a: Account; b: Account }> {
  const a = await loggedIn(h, { nickname: 'Alice' });
  const b = await loggedIn(h, { nickname: 'Bob' });
  await ok(h.direct('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid }));
  await ok(h.direct('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid }));
  return { a, b };
}

/** `from` sends `silk` as a WeChat voice message (SILK as is); answers the msg_id. */
async function sendVoice(h: Harness, from: string, to: string, silk: Buffer): Promise<string> {
  const sent = await ok(h.direct('/sandbox/messages/send_media', { from_wxid: from, to_username: to, kind: 'voice', url: dataUrl(silk) }));
  return sent.msg_id as string;
}

/** new_trans_voice_id → upload_voice_trans → poll check_voice_trans → get_voice_trans, as a bot does. */
async function transcribeMessage(h: Harness, guid: string, msgId: string, lengthMs: number): Promise<{ text: string; polls: number }> {
  const { voice_id } = await ok(h.direct('/msg/new_trans_voice_id', { guid }));
  assert.match(voice_id, /^[0-9a-f]{32}$/);
  assert.deepEqual(await ok(h.direct('/msg/upload_voice_trans', { guid, voice_id, msg_id: msgId, length: lengthMs })), {});
  let polls = 0;
  for (;;) {
    const state = await ok(h.direct('/msg/check_voice_trans', { guid, voice_id, msg_id: msgId, length: lengthMs }));
    polls++;
    if (state.ready) {
      assert.equal(state.status, 1);
      break;
    }
    assert.equal(state.status, 0);
    assert.ok(polls < 600, 'transcription did not finish within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = await ok(h.gateway('/msg/get_voice_trans', { guid, voice_id }));
  assert.equal(result.endFlag, 1);
  return { text: result.text, polls };
}

describe('voice to text (pocketsphinx, English)', { skip: missing ?? false }, () => {
  let h: Harness;
  let a: Account;
  let b: Account;
  before(async () => {
    h = await startHarness(UNLIMITED);
    ({ a, b } = await friends(h));
  });
  after(() => h.close());

  test('the /msg job flow transcribes five SILK voice messages with WER ≤ 15%', async (t) => {
    const pairs: Array<{ reference: string; hypothesis: string }> = [];
    for (const sentence of SENTENCES) {
      const { silk, durationMs } = await speakSilk(sentence);
      const msgId = await sendVoice(h, a.wxid, b.wxid, silk);
      const { text } = await transcribeMessage(h, b.guid, msgId, durationMs);
      pairs.push({ reference: sentence, hypothesis: text });
      t.diagnostic(`WER ${wordErrorRate(sentence, text).toFixed(3)}: "${sentence}" → "${text}"`);
    }
    const wer = corpusWordErrorRate(pairs);
    t.diagnostic(`corpus WER over ${pairs.length} sentences: ${wer.toFixed(3)}`);
    assert.ok(wer <= MAX_WER, `WER ${wer}`);
    // the sender's own instance may transcribe its voice too (WeChat syncs it there)
    const mine = await transcribeMessage(h, a.guid, await sendVoice(h, a.wxid, b.wxid, (await speakSilk(SENTENCES[0])).silk), 0);
    assert.ok(wordErrorRate(SENTENCES[0], mine.text) <= MAX_WER, mine.text);
  });

  test('/other/voice_trans takes SILK (format 1) and MP3 (format 2) as base64 or data: URL', async (t) => {
    const sentence = SENTENCES[2];
    const { silk } = await speakSilk(sentence);
    const { pcm, sampleRate } = speak(sentence);
    const mp3 = await pcmToMp3(pcm, sampleRate);
    const results = [
      await ok(h.direct('/other/voice_trans', { guid: b.guid, url: silk.toString('base64'), format: 1 })),
      await ok(h.gateway('/other/voice_trans', { guid: b.guid, url: dataUrl(mp3, 'audio/mpeg'), format: 2, block_size: 4096 })),
    ];
    for (const { text } of results) {
      t.diagnostic(`WER ${wordErrorRate(sentence, text).toFixed(3)}: "${text}"`);
      assert.ok(wordErrorRate(sentence, text) <= MAX_WER, text);
    }
  });

  test('/other/voice_trans_block: blocks in order, the last one answers the text; retries change nothing', async () => {
    const sentence = SENTENCES[4];
    const { silk } = await speakSilk(sentence);
    const { voice_id } = await ok(h.direct('/msg/new_trans_voice_id', { guid: b.guid }));
    const cut = [0, 1000, 2500, silk.length];
    const block = (i: number, end = i === cut.length - 2) => ({
      guid: b.guid, voice_id, block_data: silk.subarray(cut[i], cut[i + 1]).toString('base64'), seq: i, offset: cut[i], end_flag: end ? 1 : 0,
    });
    assert.deepEqual(await ok(h.direct('/other/voice_trans_block', block(0))), { text: '', end_flag: 0 });
    assert.deepEqual(await ok(h.direct('/other/voice_trans_block', block(0))), { text: '', end_flag: 0 }, 'a retry is accepted');
    const skipped = await h.direct('/other/voice_trans_block', block(2));
    assert.equal(skipped.status, 409);
    assert.equal(skipped.body.code, 40972);
    assert.equal(skipped.body.data.expected_seq, 1);
    assert.equal(skipped.body.data.expected_offset, 1000);
    const early = await h.direct('/msg/get_voice_trans', { guid: b.guid, voice_id });
    assert.equal(early.body.code, 40972, 'get before the last block');
    await ok(h.direct('/other/voice_trans_block', block(1)));
    const last = await ok(h.direct('/other/voice_trans_block', block(2)));
    assert.equal(last.end_flag, 1);
    assert.ok(wordErrorRate(sentence, last.text) <= MAX_WER, last.text);
    assert.deepEqual(await ok(h.direct('/other/voice_trans_block', block(2))), last, 'the last block again answers the same text');
    assert.deepEqual(await ok(h.direct('/msg/get_voice_trans', { guid: b.guid, voice_id })), { text: last.text, endFlag: 1 });
  });

  test('jobs persist: the text survives a restart, and a job cut short by one runs again', async () => {
    const { silk, durationMs } = await speakSilk(SENTENCES[1]);
    const msgId = await sendVoice(h, a.wxid, b.wxid, silk);
    const { voice_id } = await ok(h.direct('/msg/new_trans_voice_id', { guid: b.guid }));
    await ok(h.direct('/msg/upload_voice_trans', { guid: b.guid, voice_id, msg_id: msgId, length: durationMs }));
    h = await h.restart(); // close waits for the transcription in flight
    const done = await ok(h.direct('/msg/get_voice_trans', { guid: b.guid, voice_id }));
    assert.equal(done.endFlag, 1);
    assert.ok(wordErrorRate(SENTENCES[1], done.text) <= MAX_WER, done.text);
    // as if the process had died mid-run: the job is running, but nobody runs it
    await h.app.store.voice.update(b.guid, voice_id, { state: 'running', text: '' }, h.clock.now());
    let result = await ok(h.direct('/msg/get_voice_trans', { guid: b.guid, voice_id }));
    for (let i = 0; result.endFlag !== 1 && i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      result = await ok(h.direct('/msg/get_voice_trans', { guid: b.guid, voice_id }));
    }
    assert.deepEqual(result, done);
  });

  test('bad input is a catalog error, never a crash', async () => {
    const { silk, durationMs } = await speakSilk('hello world');
    const msgId = await sendVoice(h, a.wxid, b.wxid, silk);
    const { pcm, sampleRate } = speak('hello world');
    const mp3 = await pcmToMp3(pcm, sampleRate);
    const expect = async (path: string, body: Record<string, unknown>, status: number, code: number, field?: string) => {
      const res = await h.direct(path, { guid: b.guid, ...body });
      assert.equal(res.status, status, `${path} ${JSON.stringify(body).slice(0, 120)}: ${res.text}`);
      assert.equal(res.body.code, code, res.text);
      if (field) assert.deepEqual(res.body.errors[0].loc, ['body', field], res.text);
      return res;
    };
    // /other/voice_trans: not SILK, not MP3, empty, junk, an unknown format
    await expect('/other/voice_trans', { url: mp3.toString('base64'), format: 1 }, 422, 422, 'url');
    await expect('/other/voice_trans', { url: silk.toString('base64'), format: 2 }, 422, 422, 'url');
    await expect('/other/voice_trans', { url: 'data:audio/silk;base64,', format: 1 }, 422, 422, 'url');
    await expect('/other/voice_trans', { url: '', format: 1 }, 422, 422, 'url');
    await expect('/other/voice_trans', { url: Buffer.from('\x02#!SILK_V3 this is not a voice at all', 'latin1').toString('base64'), format: 1 }, 422, 422, 'url');
    await expect('/other/voice_trans', { url: silk.toString('base64'), format: 3 }, 422, 422, 'format');
    // the job flow: unknown voice_id, another instance's job, a message that is not a voice, wrong steps
    for (const path of ['/msg/upload_voice_trans', '/msg/check_voice_trans']) {
      await expect(path, { voice_id: 'f'.repeat(32), msg_id: msgId, length: durationMs }, 404, 40470);
    }
    await expect('/msg/get_voice_trans', { voice_id: '' }, 404, 40470);
    await expect('/other/voice_trans_block', { voice_id: 'nope', block_data: '', seq: 0, offset: 0, end_flag: 1 }, 404, 40470);
    const { voice_id } = await ok(h.direct('/msg/new_trans_voice_id', { guid: b.guid }));
    const foreign = await h.direct('/msg/get_voice_trans', { guid: a.guid, voice_id });
    assert.equal(foreign.body.code, 40470, 'a job is its instance\'s own');
    await expect('/msg/check_voice_trans', { voice_id, msg_id: msgId, length: 0 }, 409, 40972);
    await expect('/msg/get_voice_trans', { voice_id }, 409, 40972);
    const text = await ok(h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'not a voice' }));
    await expect('/msg/upload_voice_trans', { voice_id, msg_id: text.list[0].newMsgId, length: 0 }, 404, 40452);
    await expect('/msg/upload_voice_trans', { voice_id, msg_id: '123', length: 0 }, 404, 40452);
    await expect('/msg/upload_voice_trans', { voice_id, msg_id: msgId, length: -1 }, 422, 422, 'length');
    await ok(h.direct('/msg/upload_voice_trans', { guid: b.guid, voice_id, msg_id: msgId, length: durationMs }));
    await ok(h.direct('/msg/upload_voice_trans', { guid: b.guid, voice_id, msg_id: msgId, length: durationMs })); // a retry
    await expect('/msg/upload_voice_trans', { voice_id, msg_id: '999', length: 0 }, 409, 40972);
    await expect('/msg/check_voice_trans', { voice_id, msg_id: '999', length: 0 }, 422, 422, 'msg_id');
    await expect('/other/voice_trans_block', { voice_id, block_data: silk.toString('base64'), seq: 0, offset: 0, end_flag: 1 }, 409, 40972);
    // blocks: not base64, empty middle block, bad end_flag, a last block that is no audio (the job stays open)
    const block = (await ok(h.direct('/msg/new_trans_voice_id', { guid: b.guid }))).voice_id;
    await expect('/other/voice_trans_block', { voice_id: block, block_data: '%%%', seq: 0, offset: 0, end_flag: 0 }, 422, 422, 'block_data');
    await expect('/other/voice_trans_block', { voice_id: block, block_data: '', seq: 0, offset: 0, end_flag: 0 }, 422, 422, 'block_data');
    await expect('/other/voice_trans_block', { voice_id: block, block_data: 'AAAA', seq: 0, offset: 0, end_flag: 2 }, 422, 422, 'end_flag');
    await expect('/other/voice_trans_block', { voice_id: block, block_data: Buffer.from('not audio').toString('base64'), seq: 0, offset: 0, end_flag: 1 }, 422, 422, 'block_data');
    const good = await ok(h.direct('/other/voice_trans_block', { guid: b.guid, voice_id: block, block_data: silk.toString('base64'), seq: 0, offset: 0, end_flag: 1 }));
    assert.ok(wordErrorRate('hello world', good.text) <= 0.5, good.text);
    // not logged in
    const idle = await h.createInstance();
    const res = await h.direct('/msg/new_trans_voice_id', { guid: idle });
    assert.equal(res.body.code, 40902);
  });
});

/** A second of tone as a WeChat voice: enough for the engine-less paths, which never get to recognition (no flite needed). */
const toneSilk = () => encodeSilkVoice(sineTonePcm(1000, 440));

describe('voice to text without an engine', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ...UNLIMITED, stt: { engine: 'pocketsphinx', pocketsphinxPath: '/nonexistent/pocketsphinx_continuous', timeoutMs: 10_000 } });
  });
  after(() => h.close());

  test('a missing pocketsphinx answers 503 SPEECH_ENGINE_UNAVAILABLE, saying what to install, on every path', async () => {
    const { a, b } = await friends(h);
    const { silk, durationMs } = await toneSilk();
    const direct = await h.direct('/other/voice_trans', { guid: b.guid, url: silk.toString('base64'), format: 1 });
    assert.equal(direct.status, 503);
    assert.equal(direct.body.code, 50310);
    assert.match(direct.body.message, /\/nonexistent\/pocketsphinx_continuous.*apt-get install pocketsphinx pocketsphinx-en-us/);
    const msgId = await sendVoice(h, a.wxid, b.wxid, silk);
    const { voice_id } = await ok(h.direct('/msg/new_trans_voice_id', { guid: b.guid }));
    await ok(h.direct('/msg/upload_voice_trans', { guid: b.guid, voice_id, msg_id: msgId, length: durationMs }));
    let check = await h.direct('/msg/check_voice_trans', { guid: b.guid, voice_id, msg_id: msgId, length: durationMs });
    for (let i = 0; check.status === 200 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      check = await h.direct('/msg/check_voice_trans', { guid: b.guid, voice_id, msg_id: msgId, length: durationMs });
    }
    assert.equal(check.status, 503, 'the failed job answers its error on check');
    assert.equal(check.body.code, 50310);
    assert.equal((await h.direct('/msg/get_voice_trans', { guid: b.guid, voice_id })).body.code, 50310);
  });

  test('WXGATE_STT_ENGINE=none answers the same 503 instead of an empty text', async () => {
    const off = await startHarness({ stt: { engine: 'none', pocketsphinxPath: 'pocketsphinx_continuous', timeoutMs: 1000 } });
    try {
      const { b } = await friends(off);
      const res = await off.direct('/other/voice_trans', { guid: b.guid, url: (await toneSilk()).silk.toString('base64'), format: 1 });
      assert.equal(res.status, 503);
      assert.equal(res.body.code, 50310);
      assert.match(res.body.message, /WXGATE_STT_ENGINE=none/);
    } finally {
      await off.close();
    }
  });
});
