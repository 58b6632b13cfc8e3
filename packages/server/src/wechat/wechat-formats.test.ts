// Property tests of the pure WeChat formats: CDN crypto (checked against openssl), file ids, CRC32, .dat images, SILK.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { test } from 'node:test';
import fc from 'fast-check';
import { aesKeyFromBytes, aesKeyVerifier, CdnDecryptError, decryptCdnObject, encryptCdnObject, encryptedSize, fileMd5 } from './cdn-crypto.ts';
import { crc32 } from './crc32.ts';
import { NEEDS, runs } from '../../test/system-programs.ts';
import { decodeDatImage, detectDatImage, encodeDatImage } from './dat-image.ts';
import { FILE_ID_PREFIX, formatFileId, objectUuidFromBytes, parseFileId } from './file-id.ts';
import { decodeSilkVoice, encodeSilkVoice, isSilkVoice, pcmToWav, silkDurationMs, sineTonePcm } from './silk.ts';

const key = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(aesKeyFromBytes);
const bytes = fc.uint8Array({ maxLength: 600 });

test('CDN crypto: decrypt(encrypt(x)) = x, ciphertext length is PKCS#7 padded, plaintext never visible', () => {
  fc.assert(fc.property(bytes, key, (plain, aesKey) => {
    const cipher = encryptCdnObject(plain, aesKey);
    assert.equal(cipher.length, encryptedSize(plain.length));
    assert.deepEqual(new Uint8Array(decryptCdnObject(cipher, aesKey)), plain);
    if (plain.length >= 16) assert.ok(!cipher.includes(Buffer.from(plain.subarray(0, 16))));
  }));
});

test('CDN crypto: a wrong key is refused by padding or by the verifier; bad lengths are refused', () => {
  fc.assert(fc.property(bytes, key, key, (plain, rightKey, wrongKey) => {
    fc.pre(rightKey !== wrongKey);
    assert.notEqual(aesKeyVerifier(rightKey), aesKeyVerifier(wrongKey));
    const cipher = encryptCdnObject(plain, rightKey);
    try {
      const out = decryptCdnObject(cipher, wrongKey);
      assert.notDeepEqual(new Uint8Array(out), plain); // padding passed by chance: still not the plaintext
    } catch (error) {
      assert.ok(error instanceof CdnDecryptError);
    }
  }));
  assert.throws(() => decryptCdnObject(Buffer.alloc(15), '00'.repeat(16)), CdnDecryptError);
  assert.throws(() => encryptCdnObject(Buffer.alloc(1), 'xyz'), RangeError);
});

// Node's own AES is OpenSSL too: the program is the outside check, so without it the test skips rather than compare Node with itself.
test('CDN crypto matches `openssl enc -aes-128-ecb` both ways', { skip: runs('openssl', ['version']) ? false : NEEDS.openssl }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-cdn-'));
  try {
    const aesKey = '00112233445566778899aabbccddeeff';
    const plain = Buffer.from('hello WeChat CDN, a plaintext longer than one block'.repeat(3));
    writeFileSync(join(dir, 'obj'), encryptCdnObject(plain, aesKey));
    const decrypted = execFileSync('openssl', ['enc', '-d', '-aes-128-ecb', '-K', aesKey, '-in', join(dir, 'obj')]);
    assert.deepEqual(decrypted, plain);
    writeFileSync(join(dir, 'plain'), plain);
    const encrypted = execFileSync('openssl', ['enc', '-aes-128-ecb', '-K', aesKey, '-in', join(dir, 'plain')]);
    assert.deepEqual(decryptCdnObject(encrypted, aesKey), plain);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file_md5 is md5 of the plaintext', () => {
  assert.equal(fileMd5(Buffer.from('abc')), '900150983cd24fb0d6963f7d28e17f72');
});

test('file ids: WeChat prefix and length, parse(format(x)) = x, foreign strings rejected', () => {
  const parts = fc.record({
    uin: fc.nat({ max: 0xffffffff }),
    createdAt: fc.nat({ max: 0xffffffff }),
    objectUuid: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(objectUuidFromBytes),
    kind: fc.nat({ max: 255 }),
    salt: fc.uint8Array({ minLength: 7, maxLength: 7 }).map((b) => Buffer.from(b).toString('hex')),
  });
  fc.assert(fc.property(parts, (p) => {
    const id = formatFileId(p);
    assert.ok(id.startsWith(FILE_ID_PREFIX));
    assert.equal(id.length, 178);
    assert.deepEqual(parseFileId(id), { ...p });
    assert.deepEqual(parseFileId(id.toUpperCase()), { ...p });
    assert.equal(parseFileId(id.slice(0, -2)), null);
  }));
  fc.assert(fc.property(fc.string(), (s) => parseFileId(s) === null || s.length === 178));
  // a real-world id of the same shape parses
  const real = '3057020100044b304902010002049363814102032f4f5502042a7a903b0204651f7a50042437373234643262652d363732332d343663372d393939642d3135336361336561393734390204011418020201000405004c57c100';
  assert.equal(parseFileId(real)?.objectUuid, '7724d2be-6723-46c7-999d-153ca3ea9749');
});

test('CRC32 equals zlib\'s and is incremental', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  fc.assert(fc.property(bytes, bytes, (a, b) => {
    assert.equal(crc32(Buffer.concat([a, b])), crc32(b, crc32(a)));
    if (typeof zlibCrc32 === 'function') assert.equal(crc32(a), zlibCrc32(a));
  }));
});

test('.dat images: encode then detect/decode recovers key, format and bytes', () => {
  const headers: Record<string, number[]> = {
    jpg: [0xff, 0xd8, 0xff, 0xe0], png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  };
  fc.assert(fc.property(fc.constantFrom('jpg', 'png', 'gif'), fc.nat({ max: 255 }), bytes, (format, datKey, body) => {
    const image = Buffer.concat([Buffer.from(headers[format]!), body]);
    const dat = encodeDatImage(image, datKey);
    assert.deepEqual(detectDatImage(dat), { key: datKey, format });
    assert.deepEqual(decodeDatImage(dat)?.image, image);
  }));
  assert.equal(decodeDatImage(Buffer.from([0x01])), null);
});

test('SILK voice: real audio encodes with the 0x02 header, decodes back to the same length, duration readable', async () => {
  const pcm = sineTonePcm(1500, 440);
  const { silk, durationMs } = await encodeSilkVoice(pcm);
  assert.equal(silk[0], 0x02);
  assert.equal(silk.subarray(1, 10).toString('latin1'), '#!SILK_V3');
  assert.ok(isSilkVoice(silk) && isSilkVoice(silk.subarray(1)));
  assert.ok(Math.abs(durationMs - 1500) <= 40, `encoded ${durationMs} ms`);
  assert.ok(Math.abs(silkDurationMs(silk) - 1500) <= 60);
  const decoded = await decodeSilkVoice(silk.subarray(1)); // also without the 0x02 byte
  assert.ok(Math.abs(decoded.pcm.length / 2 / 24 - 1500) <= 60);
  // the tone survives the codec: energy in the decoded signal is well above silence
  let energy = 0;
  for (let i = 0; i < decoded.pcm.length; i += 2) energy += Math.abs(decoded.pcm.readInt16LE(i));
  assert.ok(energy / (decoded.pcm.length / 2) > 1000);
  await assert.rejects(decodeSilkVoice(Buffer.from('not silk')), TypeError);
  const wav = pcmToWav(pcm, 24000);
  assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
  assert.equal(wav.readUInt32LE(40), pcm.length);
});
