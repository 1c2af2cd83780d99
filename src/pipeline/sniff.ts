/** Separators accepted when an adapter does not restrict them (SPEC §5), in order of preference. */
export const defaultDelimiters: readonly string[] = ['\t', ';', ',', ':', '|'];

/** Lines the separator is detected from. */
export const SNIFF_LINES = 50;
/** A longer line says little about the separator (and may be cut inside a quote): left out. */
const SNIFF_LINE_CHARS = 4096;

/**
 * The first lines of a text, as the separator is detected from them, fed a chunk at a time:
 * over-long lines are left out, so that a long first record does not hide the lines after it.
 */
export class SniffSample {
  private readonly lines: string[] = [];
  private line = '';
  private dropping = false;

  /** Adds text; false once enough lines are in. */
  push(chunk: string): boolean {
    let from = 0;
    while (from < chunk.length && !this.full) {
      const lf = chunk.indexOf('\n', from);
      const cr = chunk.indexOf('\r', from);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      this.add(chunk.slice(from, end < 0 ? chunk.length : end));
      if (end < 0) break;
      this.close();
      from = end + 1;
    }
    return !this.full;
  }

  private add(text: string): void {
    if (this.dropping) return;
    this.line += text;
    if (this.line.length > SNIFF_LINE_CHARS) {
      this.line = '';
      this.dropping = true;
    }
  }

  private close(): void {
    if (!this.dropping && this.line.trim() !== '') this.lines.push(this.line);
    this.line = '';
    this.dropping = false;
  }

  private get full(): boolean {
    return this.lines.length >= SNIFF_LINES;
  }

  /** The lines so far, the last one (perhaps cut) left out unless the text is complete. */
  text(complete: boolean): string {
    const lines = complete && !this.dropping && this.line.trim() !== '' ? [...this.lines, this.line] : this.lines;
    return lines.map((line) => `${line}\n`).join('');
  }
}

/** Counts each candidate outside quotes, line by line, over the first lines of a sample. */
function countPerLine(sample: string, candidates: readonly string[], maxLines: number, escape: string): number[][] {
  const lines: number[][] = [];
  let counts = candidates.map(() => 0);
  let inQuotes = false;
  let blank = true;
  for (let i = 0; i < sample.length && lines.length < maxLines; i++) {
    const char = sample[i];
    if (inQuotes && escape !== '"' && char === escape) {
      i++; // an escaped character, e.g. Blackboard's \"
      continue;
    }
    if (char === '"') inQuotes = !inQuotes;
    if (!inQuotes && (char === '\n' || char === '\r')) {
      if (char === '\r' && sample[i + 1] === '\n') i++;
      if (!blank) lines.push(counts);
      counts = candidates.map(() => 0);
      blank = true;
      continue;
    }
    if (char.trim() !== '') blank = false;
    const index = inQuotes ? -1 : candidates.indexOf(char);
    if (index >= 0) counts[index]++;
  }
  return lines;
}

/**
 * Picks the separator that splits the first lines most consistently (like Python's
 * csv.Sniffer), preferring the one whose field count matches the adapter's columns,
 * then the candidates' order. Null when no candidate occurs at all.
 */
export function detectDelimiter(
  sample: string,
  candidates: readonly string[] = defaultDelimiters,
  expectedFields?: number,
  escape = '"',
): string | null {
  const lines = countPerLine(sample, candidates, SNIFF_LINES, escape);
  let best: { delimiter: string; score: number } | null = null;
  candidates.forEach((delimiter, c) => {
    const counts = lines.map((line) => line[c]);
    if (!counts.some((n) => n > 0)) return;
    const frequency = new Map<number, number>();
    for (const n of counts) if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    const [mode, modeLines] = [...frequency.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
    const consistency = modeLines / counts.length;
    const fits = expectedFields !== undefined && (mode + 1 === expectedFields || mode === expectedFields) ? 0.25 : 0;
    const score = consistency + fits - c * 0.001;
    if (!best || score > best.score) best = { delimiter, score };
  });
  return (best as { delimiter: string } | null)?.delimiter ?? null;
}

/** A readable name for a separator, for messages. */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}
