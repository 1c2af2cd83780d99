import { en } from './messages/en';
import { fr, type Messages } from './messages/fr';

export type Lang = 'fr' | 'en';
export type MessageKey = keyof Messages;

const catalogs: Record<Lang, Messages> = { fr, en };
const LANG_KEY = 'lms-import.lang';

/** The language chosen with the switch, else the browser's first French or English one. */
export function initialLanguage(): Lang {
  const chosen = localStorage.getItem(LANG_KEY);
  if (chosen === 'fr' || chosen === 'en') return chosen;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

let current: Lang = 'fr';
export const language = () => current;

export function useLanguage(lang: Lang, remember: boolean): void {
  current = lang;
  document.documentElement.lang = lang;
  if (remember) localStorage.setItem(LANG_KEY, lang);
}

/** A message in the current language, `{name}` replaced by params. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string | undefined = catalogs[current][key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function formatBytes(bytes: number): string {
  const units = current === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(current, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

export const formatNumber = (value: number) => new Intl.NumberFormat(current).format(value);
export const formatDate = (iso: string) => new Intl.DateTimeFormat(current, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
