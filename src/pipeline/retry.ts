import { setTimeout as sleep } from 'node:timers/promises';

interface DriverError {
  code?: string;
  errno?: number;
  driverError?: DriverError;
}

function driverCode(error: unknown): { code?: string; errno?: number } {
  const e = error as DriverError | undefined;
  return { code: e?.driverError?.code ?? e?.code, errno: e?.driverError?.errno ?? e?.errno };
}

/** Deadlock (MySQL 1213), lock wait timeout (1205), or a busy/locked SQLite database: try again. */
export function isRetryable(error: unknown): boolean {
  const { code, errno } = driverCode(error);
  return errno === 1213 || errno === 1205 || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** A unique constraint refused a row: another job may have taken the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, errno } = driverCode(error);
  return errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs `work` again after a deadlock, a busy database or a unique-key race, with growing
 * pauses; `undo` puts back what a failed attempt changed outside the database.
 */
export async function withRetry<T>(work: () => Promise<T>, undo: () => void = () => {}, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      undo();
      if (attempt >= attempts || !(isRetryable(error) || isUniqueViolation(error))) throw error;
      await sleep(Math.min(2000, 20 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}
