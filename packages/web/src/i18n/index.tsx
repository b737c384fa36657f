import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en.js';
import { formatMessage, type MessageValues } from './format.js';
import { fr, type MessageKey } from './fr.js';
import { ru } from './ru.js';

export const LANGUAGES = { fr: 'Français', en: 'English', ru: 'Русский' } as const;
export type Language = keyof typeof LANGUAGES;
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { fr, en, ru };
const STORAGE_KEY = 'pharma.language';
/** The locale each language formats numbers and dates with (English as in Europe: day first, 24 h). */
const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB', ru: 'ru-RU' };

export type Translate = (key: MessageKey, values?: MessageValues) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** Whether the dictionaries have this key (for codes sent by services, such as a job's stage). */
  has(key: string): key is MessageKey;
  /** A code sent by a service (a status, a trigger) in the chosen language: `prefix.code`, else the code itself. */
  label(prefix: string, code: string): string;
  formatNumber(value: number): string;
  formatMoney(value: number | null | undefined): string;
  /** A moment (ISO string) as the chosen language writes it, in the browser's time zone. */
  formatDateTime(iso: string): string;
  /** A calendar day (`YYYY-MM-DD`) as the chosen language writes it. */
  formatDate(day: string): string;
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
    const locale = LOCALES[language];
    const money = new Intl.NumberFormat(locale, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    const plurals = new Intl.PluralRules(locale);
    const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    const formatNumber = (value: number) => numbers.format(value);
    const moment = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    const calendarDay = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' });
    return {
      language,
      setLanguage,
      t: (key, values = {}) => formatMessage(dictionary[key], values, plurals, formatNumber),
      has: (key): key is MessageKey => key in dictionary,
      label: (prefix, code) => {
        const key = `${prefix}.${code}`;
        return key in dictionary ? dictionary[key as MessageKey] : code;
      },
      formatNumber,
      formatMoney: (amount) => (amount === null || amount === undefined ? '—' : money.format(amount)),
      formatDateTime: (iso) => moment.format(new Date(iso)),
      formatDate: (day) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? calendarDay.format(new Date(`${day}T00:00:00Z`)) : day),
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
