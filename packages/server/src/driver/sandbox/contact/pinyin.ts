// WeChat's pinyin index of a name, as contacts carry it: quanPin (full pinyin) and pyinitial (capital initials).
import { createRequire } from 'node:module';

type PinyinPro = typeof import('pinyin-pro');
/** Loaded on the first name (its dictionary costs ~70 ms of every start otherwise, and a relay never needs it). */
let pinyinPro: PinyinPro | undefined;
const loadPinyin = (): PinyinPro => (pinyinPro ??= createRequire(import.meta.url)('pinyin-pro') as PinyinPro);

export interface NamePinyin {
  readonly quanPin: string;
  readonly pyinitial: string;
}

/**
 * Han characters become their pinyin (in context, so 重庆 is chongqing); Latin letters and digits are kept as they are
 * in quanPin and upper-cased in pyinitial, which is how WeChat indexes "Alice" (Alice / ALICE); everything else drops.
 */
export function namePinyin(name: string): NamePinyin {
  let quanPin = '';
  let pyinitial = '';
  for (const part of loadPinyin().pinyin(name, { type: 'all', toneType: 'none' })) {
    if (part.isZh && part.pinyin) {
      quanPin += part.pinyin.toLowerCase();
      pyinitial += part.pinyin[0]!.toUpperCase();
    } else if (/^[A-Za-z0-9]$/.test(part.origin)) {
      quanPin += part.origin;
      pyinitial += part.origin.toUpperCase();
    }
  }
  return { quanPin, pyinitial };
}
