// WeChat desktop's .dat image files: the image bytes XORed with one key byte; detecting the key and format, decoding, encoding.

/** Image formats a .dat file can hold, with the leading bytes that identify each. */
const MAGIC: ReadonlyArray<{ format: DatImageFormat; bytes: readonly number[] }> = [
  { format: 'jpg', bytes: [0xff, 0xd8, 0xff] },
  { format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { format: 'gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { format: 'webp', bytes: [0x52, 0x49, 0x46, 0x46] },
  { format: 'tif', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'bmp', bytes: [0x42, 0x4d] },
];

export type DatImageFormat = 'jpg' | 'png' | 'gif' | 'webp' | 'tif' | 'bmp';

/** The XOR key and image format of a .dat file, or null when no known image header fits one key. */
export function detectDatImage(dat: Uint8Array): { key: number; format: DatImageFormat } | null {
  for (const { format, bytes } of MAGIC) {
    if (dat.length < bytes.length) continue;
    const key = dat[0]! ^ bytes[0]!;
    // every header byte must agree on the same key; 2-byte BMP is weakest, so it is tried last
    if (bytes.every((b, i) => (dat[i]! ^ key) === b)) return { key, format };
  }
  return null;
}

/** XORs every byte with `key` (encoding and decoding are the same operation). */
export function xorDat(data: Uint8Array, key: number): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key;
  return out;
}

/** Decodes a .dat file to the image it holds, or null when it is not an XOR-encoded image. */
export function decodeDatImage(dat: Uint8Array): { format: DatImageFormat; image: Buffer } | null {
  const found = detectDatImage(dat);
  return found ? { format: found.format, image: xorDat(dat, found.key) } : null;
}

/** Encodes an image as WeChat desktop stores it. */
export function encodeDatImage(image: Uint8Array, key: number): Buffer {
  if (!Number.isInteger(key) || key < 0 || key > 255) throw new RangeError('a .dat key is one byte');
  return xorDat(image, key);
}
