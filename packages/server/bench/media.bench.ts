// Benchmark (`npm run bench:media`): the CDN path — encrypt + store and load + decrypt through the local blob store —
// in MB/s against bare node:crypto AES-128-ECB over the same bytes in the same run (ratio aim ≥ 0.7), and SILK voice
// decoding speed as a multiple of real time (aim ≥ 150×).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../src/storage/blob/local-blob-store.ts';
import { decryptCdnObject, encryptCdnObject } from '../src/wechat/cdn-crypto.ts';
import { decodeSilkVoice, encodeSilkVoice, sineTonePcm } from '../src/wechat/silk.ts';

const OBJECT_BYTES = 4 * 1024 * 1024;
const OBJECTS = 24;
const ROUNDS = 3;
const MB = 1024 * 1024;

function rawEncrypt(plain: Buffer, key: Buffer): Buffer {
  const c = createCipheriv('aes-128-ecb', key, null);
  return Buffer.concat([c.update(plain), c.final()]);
}
function rawDecrypt(cipher: Buffer, key: Buffer): Buffer {
  const d = createDecipheriv('aes-128-ecb', key, null);
  return Buffer.concat([d.update(cipher), d.final()]);
}

async function timed(work: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wxgate-bench-media-'));
  try {
    const blobs = new LocalBlobStore(dir, 64 * MB);
    const objects = Array.from({ length: OBJECTS }, () => ({ plain: randomBytes(OBJECT_BYTES), key: randomBytes(16) }));
    const totalMb = (OBJECT_BYTES * OBJECTS) / MB;
    const best = { rawEnc: Infinity, store: Infinity, rawDec: Infinity, load: Infinity };
    let ids: { blobId: string; key: string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      best.rawEnc = Math.min(best.rawEnc, await timed(() => {
        for (const o of objects) rawEncrypt(o.plain, o.key);
      }));
      ids = [];
      best.store = Math.min(best.store, await timed(async () => {
        for (const o of objects) {
          const key = o.key.toString('hex');
          ids.push({ blobId: (await blobs.put(encryptCdnObject(o.plain, key))).blobId, key });
        }
      }));
      const ciphers = objects.map((o) => rawEncrypt(o.plain, o.key));
      best.rawDec = Math.min(best.rawDec, await timed(() => {
        ciphers.forEach((c, i) => rawDecrypt(c, objects[i]!.key));
      }));
      best.load = Math.min(best.load, await timed(async () => {
        for (const { blobId, key } of ids) decryptCdnObject((await blobs.get(blobId))!, key);
      }));
      for (const { blobId } of ids) await blobs.delete(blobId);
    }
    const mbps = (s: number) => totalMb / s;
    console.log(`CDN objects: ${OBJECTS} × ${OBJECT_BYTES / MB} MB, best of ${ROUNDS} rounds (store = temp file + fsync + rename in ${tmpdir()})`);
    console.log(`  raw node:crypto AES-128-ECB encrypt   ${mbps(best.rawEnc).toFixed(0).padStart(6)} MB/s`);
    console.log(`  CDN encrypt + store                   ${mbps(best.store).toFixed(0).padStart(6)} MB/s   ratio ${(best.rawEnc / best.store).toFixed(2)} (aim ≥ 0.7)`);
    console.log(`  raw node:crypto AES-128-ECB decrypt   ${mbps(best.rawDec).toFixed(0).padStart(6)} MB/s`);
    console.log(`  CDN load + decrypt                    ${mbps(best.load).toFixed(0).padStart(6)} MB/s   ratio ${(best.rawDec / best.load).toFixed(2)} (aim ≥ 0.7)`);

    const voiceMs = 60_000;
    const { silk } = await encodeSilkVoice(sineTonePcm(voiceMs, 440));
    await decodeSilkVoice(silk); // warm the wasm module
    const decodeRuns = 5;
    const seconds = await timed(async () => {
      for (let i = 0; i < decodeRuns; i++) await decodeSilkVoice(silk);
    });
    console.log(`SILK decode: ${voiceMs / 1000} s voice × ${decodeRuns}: ${((voiceMs / 1000) * decodeRuns / seconds).toFixed(0)}× real time (aim ≥ 150×)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
