// The language a failure's text is answered in: the caller's Accept-Language when it names Chinese or English, else
// the server's WXGATE_LANGUAGE (Chinese by default: vendor clients show errmsg to the people running them).
import { ERRORS_ZH, type ApiError } from '@wxgate/contract';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

/** The first of the caller's preferred languages (by q-value, then order) that wxgate speaks; `fallback` otherwise. */
export function languageOf(acceptLanguage: string | string[] | undefined, fallback: Language): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (!header) return fallback;
  const ranked = header.split(',').map((part, index) => {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return fallback;
}

/**
 * A failure's text in `language`. The catalog has one English and one Chinese text per code; a failure raised with
 * its own English text (details such as a wxid or WeChat's ret) keeps them after the Chinese text of its code.
 */
export function errorText(error: ApiError, language: Language): string {
  if (language === 'en') return error.message;
  const zh = ERRORS_ZH[error.error];
  return error.message === error.spec.message ? zh : `${zh}（${error.message}）`;
}
