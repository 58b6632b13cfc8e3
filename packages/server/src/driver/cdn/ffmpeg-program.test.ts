// Which ffmpeg runs: WXGATE_FFMPEG, then the system's on PATH, then the npm package's; none at all is a message naming the installs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ffmpegMissing, resolveFfmpeg } from './ffmpeg-program.ts';

const dir = mkdtempSync(join(tmpdir(), 'wxgate-ffmpeg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fake = join(dir, 'ffmpeg');
writeFileSync(fake, '#!/bin/sh\necho fake\n');
chmodSync(fake, 0o755);
const empty = mkdtempSync(join(tmpdir(), 'wxgate-nopath-'));
after(() => rmSync(empty, { recursive: true, force: true }));
const noNpm = () => null;
const npm = () => '/from/npm/ffmpeg';

test('a system ffmpeg on PATH comes before the npm one', () => {
  assert.deepEqual(resolveFfmpeg({ PATH: `${empty}:${dir}` }, npm), { path: fake, source: 'PATH' });
});

test('without one on PATH the npm package\'s binary runs (it ships for this platform)', (t) => {
  assert.deepEqual(resolveFfmpeg({ PATH: empty }, npm), { path: '/from/npm/ffmpeg', source: 'npm' });
  const real = resolveFfmpeg({ PATH: empty });
  if (!real) return t.skip(`@ffmpeg-installer has no ffmpeg for ${process.platform}-${process.arch}`);
  assert.equal(real.source, 'npm');
  assert.match(real.path, /node_modules\/@ffmpeg-installer\//);
  assert.match(execFileSync(real.path, ['-version']).toString(), /^ffmpeg version/);
});

test('WXGATE_FFMPEG wins and is not second-guessed: a wrong one means no ffmpeg, saying so', () => {
  assert.deepEqual(resolveFfmpeg({ PATH: empty, WXGATE_FFMPEG: fake }, npm), { path: fake, source: 'WXGATE_FFMPEG' });
  assert.deepEqual(resolveFfmpeg({ PATH: dir, WXGATE_FFMPEG: 'ffmpeg' }, npm), { path: fake, source: 'WXGATE_FFMPEG' });
  const env = { PATH: dir, WXGATE_FFMPEG: '/nonexistent/ffmpeg' };
  assert.equal(resolveFfmpeg(env, npm), null);
  assert.match(ffmpegMissing('video', env), /^video needs ffmpeg, and WXGATE_FFMPEG=\/nonexistent\/ffmpeg is not a program that runs/);
});

test('none anywhere: the message names both ways to get one', () => {
  assert.equal(resolveFfmpeg({ PATH: empty }, noNpm), null);
  assert.equal(resolveFfmpeg({}, noNpm), null);
  assert.equal(ffmpegMissing('audio conversion', { PATH: empty }),
    'audio conversion needs ffmpeg on the server, and there is none on PATH nor in node_modules: run npm install, which brings ffmpeg in @ffmpeg-installer/ffmpeg, or apt-get install ffmpeg');
});

test('a directory or a file without the execute bit is not a program', () => {
  const plain = mkdtempSync(join(tmpdir(), 'wxgate-noexec-'));
  try {
    writeFileSync(join(plain, 'ffmpeg'), 'not a program');
    assert.equal(resolveFfmpeg({ PATH: plain }, noNpm), null);
    assert.equal(resolveFfmpeg({ PATH: empty, WXGATE_FFMPEG: plain }, noNpm), null);
  } finally {
    rmSync(plain, { recursive: true, force: true });
  }
});
