/**
 * How the batches of one job go to the database one after the other, or overlapping (see
 * `overlapBatches`): the signals between a batch and the one after it.
 */

/** The batch before this one did not commit at its first attempt: this one is rolled back and done again after it. */
export class PredecessorFailedError extends Error {}

/** A batch before this one failed: this one is not written, the job fails with that error (its cause). */
export class BatchBeforeFailedError extends Error {
  constructor(cause: unknown) {
    super('a batch before this one failed', { cause });
  }
}

/** A promise and what settles it. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * A batch on its way to the database. With overlapping batches (MySQL, adapters that lock what
 * they read) the next batch starts once this one is resolved; it writes once this one committed.
 */
export interface Flight {
  /** Settles when this batch and every batch before it are committed (or the job stopped or failed). */
  readonly done: Promise<void>;
  /** Resolves when the next batch may start. */
  readonly resolved: Promise<void>;
  /** Whether the first attempt committed: when not, the next batch rolls back and waits for `done`. */
  readonly firstAttempt: Promise<boolean>;
  /** `done` of the batch before (null for the first): the batch after this one starts once it settled. */
  readonly before: Promise<void> | null;
}

/** What one attempt at a batch does besides its work, when batches overlap. */
export interface Overlap {
  /** The batch before, still in the database. */
  readonly predecessor: Flight | null;
  /** Lets the next batch start. */
  readonly resolved: () => void;
}
