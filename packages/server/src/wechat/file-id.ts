// CDN file ids in WeChat's shape: a DER-like hex structure beginning 3057020100044b3049…, carrying an object uuid.
//
// Layout (89 bytes, 178 hex chars), as seen in real ids:
//   30 57 | 02 01 00 | 04 4b | 30 49 | 02 01 00 | 02 04 <uin> | 02 03 2f 4f 55 | 02 04 <random> | 02 04 <unix time>
//   | 04 24 <36-char uuid, ASCII> | 02 04 <flags: 01 14 kind 02> | 02 01 00 | 04 05 00 <3 random> 00

/** What a file id names: the object uuid plus the fields WeChat packs beside it. */
export interface CdnFileIdParts {
  /** 4-byte account number of the uploader (WeChat's uin); any unsigned 32-bit value. */
  readonly uin: number;
  /** Upload time, unix seconds. */
  readonly createdAt: number;
  /** 36-character uuid (8-4-4-4-12 lowercase hex) that keys the object. */
  readonly objectUuid: string;
  /** Object kind byte (our cdn_upload file_type, or a rendition marker). */
  readonly kind: number;
  /** 7 random bytes that make ids of equal uuid differ, as hex (14 chars). */
  readonly salt: string;
}

export const FILE_ID_PREFIX = '3057020100044b3049';
const FILE_ID_HEX_LENGTH = 178;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A uuid from 16 random bytes (version 4 bits set), so the id layer needs no randomness of its own. */
export function objectUuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError('an object uuid needs 16 bytes');
  const b = Buffer.from(bytes);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** Writes a file id. */
export function formatFileId(parts: CdnFileIdParts): string {
  if (!UUID_PATTERN.test(parts.objectUuid)) throw new RangeError('objectUuid must be a lowercase uuid');
  if (!/^[0-9a-f]{14}$/.test(parts.salt)) throw new RangeError('salt must be 14 hex characters');
  if (!Number.isInteger(parts.kind) || parts.kind < 0 || parts.kind > 255) throw new RangeError('kind must be a byte');
  const salt = Buffer.from(parts.salt, 'hex');
  const inner = Buffer.concat([
    Buffer.from([0x02, 0x01, 0x00]),
    Buffer.from([0x02, 0x04]), u32(parts.uin),
    Buffer.from([0x02, 0x03, 0x2f, 0x4f, 0x55]),
    Buffer.from([0x02, 0x04]), salt.subarray(0, 4),
    Buffer.from([0x02, 0x04]), u32(parts.createdAt),
    Buffer.from([0x04, 0x24]), Buffer.from(parts.objectUuid, 'ascii'),
    Buffer.from([0x02, 0x04, 0x01, 0x14, parts.kind, 0x02]),
    Buffer.from([0x02, 0x01, 0x00]),
  ]);
  const tail = Buffer.concat([Buffer.from([0x04, 0x05, 0x00]), salt.subarray(4, 7), Buffer.from([0x00])]);
  const outer = Buffer.concat([Buffer.from([0x02, 0x01, 0x00, 0x04, inner.length + 2, 0x30, inner.length]), inner, tail]);
  return Buffer.concat([Buffer.from([0x30, outer.length]), outer]).toString('hex');
}

/** Reads a file id written by `formatFileId`; null for anything else (foreign ids, typos, other lengths). */
export function parseFileId(fileId: string): CdnFileIdParts | null {
  const hex = fileId.toLowerCase();
  if (hex.length !== FILE_ID_HEX_LENGTH || !hex.startsWith(FILE_ID_PREFIX) || !/^[0-9a-f]+$/.test(hex)) return null;
  const b = Buffer.from(hex, 'hex');
  // offsets follow the layout above; the 9-byte prefix was checked already
  const expect = (offset: number, bytes: number[]) => bytes.every((v, i) => b[offset + i] === v);
  const framing: [number, number[]][] = [
    [9, [0x02, 0x01, 0x00, 0x02, 0x04]], [18, [0x02, 0x03, 0x2f, 0x4f, 0x55, 0x02, 0x04]], [29, [0x02, 0x04]],
    [35, [0x04, 0x24]], [73, [0x02, 0x04, 0x01, 0x14]], [78, [0x02, 0x02, 0x01, 0x00, 0x04, 0x05, 0x00]], [88, [0x00]],
  ];
  if (!framing.every(([offset, bytes]) => expect(offset, bytes))) return null;
  const objectUuid = b.subarray(37, 73).toString('ascii');
  if (!UUID_PATTERN.test(objectUuid)) return null;
  return {
    uin: b.readUInt32BE(14),
    createdAt: b.readUInt32BE(31),
    objectUuid,
    kind: b[77]!,
    salt: Buffer.concat([b.subarray(25, 29), b.subarray(85, 88)]).toString('hex'),
  };
}
