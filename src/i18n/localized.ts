/** A text in English, optionally with its French version. */
export type Localized = string | { en: string; fr?: string };

export type Language = 'en' | 'fr';

export const languages: readonly Language[] = ['en', 'fr'];

export function localize(text: Localized, lang: Language): string {
  if (typeof text === 'string') return text;
  return (lang === 'fr' && text.fr) || text.en;
}

/** Picks the language from an Accept-Language header: French when it is preferred to English. */
export function languageFromHeader(header: string | undefined | null): Language {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag === 'fr' || entry.tag === 'en')
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag === 'fr' ? 'fr' : 'en';
}

/** Replaces `{name}` placeholders with the values of params. */
export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    params[key] === undefined || params[key] === null ? whole : String(params[key]),
  );
}
