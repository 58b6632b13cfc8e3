// Voice transcription jobs run once: the node that took a job runs it, and a node asked for the result meanwhile answers
// from the store instead of starting it again; a job nobody runs any more is taken up by the node asked. On two nodes
// over one PostgreSQL and Redis (skipped without them) and on one node alone. The engine is a command (as
// WXGATE_STT_COMMAND configures) that counts its runs and waits until the test lets it answer.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Config } from '../../../src/config.ts';
import { encodeSilkVoice, sineTonePcm } from '../../../src/wechat/silk.ts';
import { CLUSTER_SKIP, startTwoNodes } from '../../cluster.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

/** An engine whose runs the test counts (a line each in `runs`) and holds until `gate` exists. */
function gatedEngine(): { config: Partial<Config>; runs: () => number; open: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-voice-once-'));
  const runs = join(dir, 'runs');
  const gate = join(dir, 'gate');
  const command = `sh -c 'echo run >> "$1"; while [ ! -e "$2" ]; do sleep 0.02; done; echo hello voice' {wav} ${runs} ${gate}`;
  return {
    config: { stt: { engine: 'command', command, pocketsphinxPath: 'pocketsphinx_continuous', timeoutMs: 60_000 } },
    runs: () => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter(Boolean).length : 0),
    open: () => writeFileSync(gate, ''),
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within 20 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `starter` takes a job (its last block) and runs it; `asked` is asked for the result five times while it runs and
 * answers "not yet"; once the engine may answer, both have the text. Answers the guid and voice_id.
 */
async function transcribeWhileAsked(starter: Harness, asked: Harness, engine: ReturnType<typeof gatedEngine>): Promise<{ guid: string; voiceId: string }> {
  const { guid } = await loggedIn(starter);
  const { voice_id: voiceId } = await ok(starter.direct('/msg/new_trans_voice_id', { guid }));
  const { silk } = await encodeSilkVoice(sineTonePcm(1000, 440));
  const last = ok(starter.direct('/other/voice_trans_block', { guid, voice_id: voiceId, block_data: silk.toString('base64'), seq: 0, offset: 0, end_flag: 1 }));
  await until(() => engine.runs() === 1, 'the engine starts on the node that took the job');
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(await ok(asked.direct('/msg/get_voice_trans', { guid, voice_id: voiceId })), { text: '', endFlag: 0 });
    assert.equal((await ok(asked.direct('/msg/check_voice_trans', { guid, voice_id: voiceId, msg_id: '0', length: 0 }))).ready, false);
  }
  engine.open();
  assert.deepEqual(await last, { text: 'hello voice', end_flag: 1 });
  assert.deepEqual(await ok(asked.direct('/msg/get_voice_trans', { guid, voice_id: voiceId })), { text: 'hello voice', endFlag: 1 });
  return { guid, voiceId };
}

/** As if the node running the job had died: running in the store, held by nobody; `asked` takes it up and finishes it. */
async function resumedBy(asked: Harness, guid: string, voiceId: string): Promise<void> {
  await asked.app.store.voice.update(guid, voiceId, { state: 'running', text: '' }, asked.clock.now());
  await until(async () => (await ok(asked.direct('/msg/get_voice_trans', { guid, voice_id: voiceId }))).endFlag === 1, 'the job cut short runs again');
  assert.deepEqual(await ok(asked.direct('/msg/get_voice_trans', { guid, voice_id: voiceId })), { text: 'hello voice', endFlag: 1 });
}

/** Runs `body` on two new nodes, then closes them (which waits for every run still in flight) and answers the engine's runs. */
async function onTwoNodes(engine: ReturnType<typeof gatedEngine>, body: (a: Harness, b: Harness) => Promise<void>): Promise<number> {
  const { a, b } = await startTwoNodes(engine.config);
  try {
    await body(a, b);
  } finally {
    engine.open();
    await b.close();
    await a.close();
  }
  return engine.runs();
}

describe('voice transcription jobs run once', () => {
  test('two nodes: the job runs on the node that took it, the other answers "not yet" from the store', { skip: CLUSTER_SKIP }, async () => {
    const engine = gatedEngine();
    assert.equal(await onTwoNodes(engine, (a, b) => transcribeWhileAsked(a, b, engine).then(() => {})), 1, 'node B started no run of its own');
  });

  test('two nodes: a job left running by a node that is gone is run by the node asked for it', { skip: CLUSTER_SKIP }, async () => {
    const engine = gatedEngine();
    engine.open();
    const runs = await onTwoNodes(engine, async (a, b) => {
      const { guid } = await loggedIn(a);
      const { voice_id: voiceId } = await ok(a.direct('/msg/new_trans_voice_id', { guid }));
      const { silk } = await encodeSilkVoice(sineTonePcm(1000, 440));
      await ok(a.direct('/other/voice_trans_block', { guid, voice_id: voiceId, block_data: silk.toString('base64'), seq: 0, offset: 0, end_flag: 0 }));
      await resumedBy(b, guid, voiceId);
    });
    assert.equal(runs, 1);
  });

  test('one node: polls while the job runs start nothing more; a job cut short runs again', async () => {
    const engine = gatedEngine();
    const h = await startHarness(engine.config);
    try {
      const { guid, voiceId } = await transcribeWhileAsked(h, h, engine);
      await resumedBy(h, guid, voiceId);
    } finally {
      engine.open();
      await h.close();
    }
    assert.equal(engine.runs(), 2, 'the first run and the one after the cut');
  });
});
