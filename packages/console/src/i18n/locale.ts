// Which language the console speaks: the one chosen before (localStorage), else the browser's first preference we have.
import { en, type Messages } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';

export const CATALOGS: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };

/** Each language named in itself, so a reader finds theirs whatever the console speaks now. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '中文', en: 'English' };

const STORAGE_KEY = 'wxgate.console.locale';

const isLocale = (value: unknown): value is Locale => value === 'zh-CN' || value === 'en';

/**
 * The stored choice wins; otherwise the first of the browser's languages that we have: any Chinese (zh, zh-CN, zh-TW,
 * zh-Hans…) reads the simplified catalog better than English; anything else we do not have falls through to the next
 * preference, and to English at the end.
 */
export function pickLocale(stored: string | null, languages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

export function initialLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (privacy settings): fall back to the browser's preference.
  }
  return pickLocale(stored, navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the choice still holds for this page.
  }
}
