// Identifiers of the simulated network in WeChat's own formats (wxid_, v3_/v4_ tickets, QR tokens, 64-bit message ids),
// drawn from an injectable random source so tests can make them reproducible.
import { createHash, randomBytes } from 'node:crypto';

/** Where the sandbox's randomness comes from. */
export interface SandboxRandom {
  bytes(size: number): Uint8Array;
}

export const cryptoRandom: SandboxRandom = { bytes: (size) => randomBytes(size) };

/** A reproducible random source (sha256 of seed and a counter), for tests that compare generated ids. */
export function seededRandom(seed: string): SandboxRandom {
  let counter = 0;
  return {
    bytes(size) {
      const out = new Uint8Array(size);
      for (let filled = 0; filled < size; filled += 32) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, size - filled)), filled);
      }
      return out;
    },
  };
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The id formats WeChat uses, from one random source. */
export class SandboxIds {
  constructor(private readonly random: SandboxRandom) {}

  #chars(alphabet: string, length: number): string {
    const bytes = this.random.bytes(length);
    let out = '';
    for (const b of bytes) out += alphabet[b % alphabet.length];
    return out;
  }

  #hex(length: number): string {
    return Buffer.from(this.random.bytes(Math.ceil(length / 2))).toString('hex').slice(0, length);
  }

  /** A new person's username: `wxid_` + 14 lowercase letters and digits. */
  wxid(): string {
    return 'wxid_' + this.#chars(LOWER_ALNUM, 14);
  }

  /** Login session id, also the token of the QR text http://weixin.qq.com/x/<token>. */
  loginUuid(): string {
    return this.#chars(TOKEN_CHARS, 20);
  }

  /** How a stranger is named to someone who is not their friend. */
  encryptUsername(): string {
    return `v3_020b3826fd030100000000${this.#hex(48)}000000501ea9a3dba12f95f6b60a0536a1adb6@stranger`;
  }

  /** An antispam / friend-request ticket. */
  strangerTicket(): string {
    return `v4_000b708f0b0400000100000000${this.#hex(64)}@stranger`;
  }

  /** The device-verification ticket carried by auth_url. */
  verifyTicket(): string {
    return this.#hex(32);
  }

  /** The 6-digit code the phone shows for device verification. */
  pin(): string {
    const n = Buffer.from(this.random.bytes(4)).readUInt32BE(0) % 1_000_000;
    return String(n).padStart(6, '0');
  }

  /** A 64-bit server message id (newMsgId / callback msg_id) as a decimal string; never 0. */
  msgId(): string {
    const n = Buffer.from(this.random.bytes(8)).readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn;
    return String(n === 0n ? 1n : n);
  }

  /** A room id: 11 digits (never starting with 0) + `@chatroom`, like the rooms WeChat creates. */
  roomId(): string {
    const n = Buffer.from(this.random.bytes(8)).readBigUInt64BE(0) % 90_000_000_000n + 10_000_000_000n;
    return `${n}@chatroom`;
  }

  /** The ticket of a room invitation link. */
  roomInviteTicket(): string {
    return this.#hex(40);
  }

  /** An avatar path segment as qlogo.cn uses them. */
  avatarToken(): string {
    return this.#chars(TOKEN_CHARS.slice(0, 62), 64);
  }

  /** Picks one of `choices`. */
  pick<T>(choices: readonly T[]): T {
    return choices[Buffer.from(this.random.bytes(2)).readUInt16BE(0) % choices.length]!;
  }
}
