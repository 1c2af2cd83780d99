/**
 * How header names are compared, without any import: the web wizard uses the same function as
 * the API.
 */

/** Header names compare in any case, with or without accents, `*`, surrounding spaces or quotes. */
export function normalizeHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .replace(/\*/g, '')
    .trim()
    .replace(/^["'\u2018\u2019]+|["'\u2018\u2019]+$/g, '')
    .trim()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ');
}
