// The CLI's language, from the locale variables as POSIX orders them (LC_ALL, LC_MESSAGES, LANG), and its catalog.
import { en, type Messages } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { Messages } from './en.ts';
export type Language = 'en' | 'zh-CN';

export const catalogs: Readonly<Record<Language, Messages>> = { en, 'zh-CN': zhCN };

/**
 * The first locale variable that is set decides, as for any POSIX program: zh_CN.UTF-8, zh_SG, zh_TW, zh… → Chinese
 * (the only Chinese catalog is Simplified, still closer to a Chinese reader than English); C, POSIX, en_US… → English.
 */
export function languageOf(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh(?:[_.@-]|$)/i.test(locale) ? 'zh-CN' : 'en';
}

/** This process's messages. */
export const m: Messages = catalogs[languageOf(process.env)];
