import { NumberTable } from '../util/number-table';
import type { ImportContext } from './define-adapter';

/** Undo entries kept: enough for the largest batch (BATCH_SIZE ≤ 5000 rows, a few entries a row). */
const UNDO_KEPT = 25_000;

/** Key of a memory entry: numbers take far less memory than strings (see pairKey). */
export type MemoryKey = string | number;

/**
 * A pair of ids as one number when both fit (ids below 2^32 and 2^21), else a string: a dry
 * run over a million distinct pairs keeps a million keys.
 */
export const pairKey = (a: number, b: number): MemoryKey => (a < 2 ** 32 && b < 2 ** 21 ? a * 2 ** 21 + b : `${a}:${b}`);

/**
 * What earlier batches of a dry run would have written. A dry run rolls every batch back, so
 * the database does not show them; a real run needs none of this (it holds nothing in memory).
 * Entries are keyed by the line that set them: a batch resolved again (a retry, or row by row
 * after a failure) first takes back what its earlier attempt remembered, so nothing counts twice.
 * Memory grows with the distinct keys of the file, not with its rows: keep keys and values small.
 */
export class DryRunMemory {
  /** Entries with a numeric key and a 32-bit integer value, off the JavaScript heap. */
  private readonly numbers = new NumberTable();
  /** The others. */
  private readonly entries = new Map<MemoryKey, unknown>();
  /** The undo log, as three columns (no object a row): line, key, value before. */
  private lines: number[] = [];
  private keys: MemoryKey[] = [];
  private before: unknown[] = [];

  /** The job's memory under `name`, or null when the job is not a dry run. */
  static of(ctx: ImportContext<unknown>, name: string): DryRunMemory | null {
    if (!ctx.job.dryRun) return null;
    const stateKey = `dry-run-memory:${name}`;
    let memory = ctx.state.get(stateKey) as DryRunMemory | undefined;
    if (!memory) ctx.state.set(stateKey, (memory = new DryRunMemory()));
    return memory;
  }

  /** Forgets what was remembered for rows at `line` and after: they are being resolved again. */
  rewind(line: number): void {
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] >= line) {
      this.lines.pop();
      this.put(this.keys.pop()!, this.before.pop());
    }
  }

  get(key: MemoryKey): unknown {
    if (typeof key === 'number') {
      const value = this.numbers.get(key);
      if (value !== undefined) return value;
    }
    return this.entries.get(key);
  }

  set(line: number, key: MemoryKey, value: unknown): void {
    this.lines.push(line);
    this.keys.push(key);
    this.before.push(this.get(key));
    if (this.lines.length > 2 * UNDO_KEPT) {
      this.lines = this.lines.slice(-UNDO_KEPT);
      this.keys = this.keys.slice(-UNDO_KEPT);
      this.before = this.before.slice(-UNDO_KEPT);
    }
    this.put(key, value);
  }

  /** Stores (or, for undefined, forgets) an entry where it fits. */
  private put(key: MemoryKey, value: unknown): void {
    if (typeof key === 'number') {
      if (typeof value === 'number' && (value | 0) === value) {
        this.entries.delete(key);
        this.numbers.set(key, value);
        return;
      }
      this.numbers.delete(key);
    }
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, value);
  }
}
