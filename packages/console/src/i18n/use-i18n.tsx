// The chosen language for every component: a context holding the catalog, and the switch that changes it.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { Messages } from './en.ts';
import { CATALOGS, initialLocale, LOCALE_NAMES, rememberLocale, type Locale } from './locale.ts';

interface I18n {
  readonly locale: Locale;
  readonly t: Messages;
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18n>({ locale: 'en', t: CATALOGS.en, setLocale: () => undefined });

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const value = useMemo<I18n>(() => ({
    locale,
    t: CATALOGS[locale],
    setLocale(next) {
      rememberLocale(next);
      setLocaleState(next);
    },
  }), [locale]);
  // Screen readers, hyphenation and the browser's own UI (date pickers, "translate this page?") follow <html lang>.
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = CATALOGS[locale].appTitle;
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);

/** The language switch: each language by its own name, the current one pressed. */
export function LanguageSwitch() {
  const { locale, t, setLocale } = useI18n();
  return (
    <span class="language" role="group" aria-label={t.language}>
      {(Object.keys(LOCALE_NAMES) as Locale[]).map((l) => (
        <button key={l} type="button" class="link" lang={l} aria-pressed={l === locale} onClick={() => setLocale(l)}>{LOCALE_NAMES[l]}</button>
      ))}
    </span>
  );
}
