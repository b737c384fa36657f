import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en.js';
import { fr, type MessageKey } from './fr.js';
import { ru } from './ru.js';

export const LANGUAGES = { fr: 'Français', en: 'English', ru: 'Русский' } as const;
export type Language = keyof typeof LANGUAGES;
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { fr, en, ru };
const STORAGE_KEY = 'pharma.language';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  formatMoney(value: number | null | undefined): string;
  /** A moment (ISO string) as the browser's locale writes it, as the pages always showed it; not yet by language. */
  formatDateTime(iso: string): string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored && stored in LANGUAGES ? (stored as Language) : 'fr';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[language];
    const money = new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    return {
      language,
      setLanguage,
      t: (key, values = {}) =>
        dictionary[key].replace(/\{(\w+)\}/g, (_match, name: string) => String(values[name] ?? `{${name}}`)),
      formatMoney: (amount) => (amount === null || amount === undefined ? '—' : money.format(amount)),
      formatDateTime: (iso) => new Date(iso).toLocaleString(),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export type { MessageKey };
