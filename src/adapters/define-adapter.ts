import type { EntityManager, EntitySchema } from 'typeorm';
import type { z } from 'zod';
import type { DatabaseKind } from '../db/data-source';
import type { Localized } from '../i18n/localized';
import type { IssueSeverity, OnExisting } from '../imports/enums';
import type { CodeEntry } from '../model/codes';

/** The plugin API this host implements; an adapter written for another version is refused. */
export const ADAPTER_API_VERSION = 1;

/** One column of an adapter's file format (Frictionless-style field descriptor). */
export interface ColumnDefinition {
  /** Canonical name, as in the header row, e.g. `user_loginid`. */
  readonly name: string;
  readonly label: Localized;
  readonly description: Localized;
  readonly required?: boolean;
  /** Other header names accepted for this column (any case, `*` ignored). */
  readonly aliases?: readonly string[];
  /** Allowed codes, when the column holds a code. */
  readonly codes?: readonly CodeEntry[];
}

/** How the adapter's files are read, when it differs from the defaults. */
export interface FileFormat {
  /** Separators this format allows, in order of preference. Default: tab ; , : | */
  readonly delimiters?: readonly string[];
  /** Escape character inside quoted fields (Blackboard: `\`). Default: a doubled quote. */
  readonly escape?: string;
}

/** An OnExisting value, also as a plain string for plugins written without the enum. */
export type OnExistingChoice = OnExisting | `${OnExisting}`;

/**
 * The tables a sync can retire rows of, each the host's way: learners made unavailable,
 * enrollments removed (made unavailable when the learner has statistics in the course), courses
 * and items made inactive (never deleted with their statistics).
 */
export type SyncTable = 'learners' | 'courses' | 'course_items' | 'enrollments';

/** The key of a row as the database holds it: learner login; course code; course and item codes; learner login and course code. */
export type SyncKeyValues = readonly [string] | readonly [string, string];

export interface SyncScope {
  readonly table: SyncTable;
  /**
   * The key of the row a record is about, from its validated data or, for a record rejected
   * before (bad cells elsewhere), from its cells as read — a rejected record still keeps its row
   * from being retired. Null: the record names no row of this table.
   */
  key(values: Readonly<Record<string, unknown>>): SyncKeyValues | null;
}

export interface SyncDefinition {
  readonly scopes: readonly SyncScope[];
}

/** A problem an adapter reports on a row. */
export interface RowIssue {
  /** Stable upper-case code, e.g. `UNKNOWN_LEARNER`. */
  code: string;
  /** The adapter's column the problem is in, if any. */
  column?: string | null;
  /** Default: ERROR. An ERROR on an accepted row is not allowed: reject the row instead. */
  severity?: IssueSeverity | 'ERROR' | 'WARNING';
  /** Values for the message's `{placeholders}`. */
  params?: Record<string, string | number>;
}

/** A validated record. */
export interface Row<T> {
  /** Line of the file where the record starts (1-based). */
  readonly line: number;
  /** The row as the adapter's schema produced it. */
  readonly data: T;
}

/** What `resolve` decided for a row. `plan` is handed to `persist` as it is. */
export type RowDecision<P> =
  | { action: 'reject'; issues: RowIssue[] }
  | { action: 'unchanged'; issues?: RowIssue[] }
  | { action: 'add' | 'update'; plan: P; issues?: RowIssue[] };

/** A row that persist must write. */
export interface PlannedRow<T, P> {
  readonly row: Row<T>;
  readonly action: 'add' | 'update';
  readonly plan: P;
}

/** What an adapter's resolve and persist steps can use. */
export interface ImportContext<O> {
  /** The batch's transaction. */
  readonly manager: EntityManager;
  readonly db: DatabaseKind;
  readonly job: {
    readonly id: number;
    /** `YYYY-MM-DD`: an empty status date takes it. */
    readonly importDate: string;
    readonly onExisting: OnExisting;
    readonly enrollIfNeeded: boolean;
    readonly dryRun: boolean;
    readonly options: O;
  };
  /**
   * Kept for the whole job, across batches (e.g. what earlier batches of a dry run would have
   * written). Keep it bounded: memory must not grow with the file. It starts empty again when a
   * job goes on from its checkpoint (after a restart, or after SQLite rolled a group of batches
   * back): keep only what the database can tell again.
   */
  readonly state: Map<string, unknown>;
  /**
   * Records a row's values before an update, so that the job can be undone; `line`: the file's
   * line that updates it (an undo's conflict names it).
   */
  keepPreviousValues(tableName: string, rowId: number, previous: Record<string, unknown>, line?: number): void;
}

export interface AdapterDefinition<
  S extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  P = unknown,
> {
  /** The host plugin API version this adapter was written for: `ADAPTER_API_VERSION`. */
  readonly apiVersion: number;
  /** Unique, lower-case with dashes, e.g. `lesson-stats`. */
  readonly name: string;
  readonly label: Localized;
  readonly description: Localized;
  /** In file order: a file without a header row is read by position. */
  readonly columns: readonly ColumnDefinition[];
  readonly format?: FileFormat;
  /**
   * Validates one record, given as `{ [column name]: string | null }` (empty cells are null).
   * Report problems with `fields` helpers or plain zod; custom issues may carry
   * `params.code` to choose the issue code.
   */
  readonly rowSchema: S;
  /** Adapter-specific options of `runImport(input: { options })`. */
  readonly options?: O;
  /** Which `onExisting` choices make sense for this adapter, and the default. */
  readonly onExisting: { readonly choices: readonly OnExistingChoice[]; readonly default: OnExistingChoice };
  /** Whether `enrollIfNeeded` means something for this adapter. */
  readonly enrollIfNeeded?: boolean;
  /** TypeORM entities this adapter owns (its own tables): classes or EntitySchema objects. */
  readonly entities?: readonly (Function | EntitySchema)[];
  /** Migrations creating those tables. */
  readonly migrations?: readonly Function[];
  /** Messages of this adapter's issue codes, with `{placeholders}`. */
  readonly messages?: Readonly<Record<string, Localized>>;
  /**
   * MySQL/MariaDB: the next batch may be resolved while this one is written and committed.
   * Only for an adapter whose `resolve` locks (`SELECT … FOR UPDATE`, e.g. `lockLearners`)
   * what it then reads of the rows its job writes, before reading it: a batch that needs rows of
   * the previous one then waits for its commit. Its `persist` still starts once the batch before
   * it is committed, and batches commit in file order. Off by default.
   */
  readonly overlapBatches?: boolean;
  /**
   * MySQL/MariaDB with workers on Redis: the column whose value lets a large file be split across
   * workers (PARTITION_MIN_RECORDS). Rows with the same value go to the same part, in file order;
   * rows with different values must never touch the same database rows — e.g. the learner's
   * login for statistics and enrollments, whose every write belongs to one learner. Without it,
   * a file is always read in one stream.
   */
  readonly partitionKey?: string;
  /**
   * What "absent" means for this adapter's files: the tables a sync import (`mode: SNAPSHOT`)
   * retires rows of, and how a record names the row it is about. The rows of the job's data set
   * whose keys no record of the file had are retired once the file is read (see SyncTable).
   */
  readonly sync?: SyncDefinition;
  /**
   * A package adapter: the upload is a zip whose member files are imported one after the other,
   * in this order, in one job, each by its own adapter (see PackageDefinition). Such an adapter's
   * own columns, rowSchema, resolve and persist describe no file of rows and are never run.
   */
  readonly package?: PackageDefinition;
  /** Absolute path of the example file served by `exampleCsv`. */
  readonly exampleFile: string;
  /** Looks a batch up in the database and decides what happens to each row; writes nothing. */
  resolve(rows: Row<z.output<S>>[], context: ImportContext<z.output<O>>): Promise<RowDecision<P>[]>;
  /** Writes the rows resolve accepted, in the batch's transaction. */
  persist(rows: PlannedRow<z.output<S>, P>[], context: ImportContext<z.output<O>>): Promise<void>;
}

/** A member file of a package, and the adapter its records are imported with. */
export interface PackageMemberDefinition {
  /** Its exact name in the zip, e.g. `users.csv` (entries in folders are not read). */
  readonly file: string;
  readonly adapter: AnyAdapter;
}

/** A problem with a package or one of its member files, found before anything is imported. */
export interface PackageProblem extends RowIssue {
  /** The member file it is in (e.g. `manifest.csv`). */
  file: string;
  line?: number | null;
}

/** Which members a package holds and how to import them, as its small files (a manifest) say. */
export interface PackagePlan {
  /** The members to import; the others are not read. Options go to the member's adapter (ctx.job.options). */
  members: { file: string; options?: Record<string, unknown> }[];
  problems: PackageProblem[];
}

export interface PackageDefinition {
  /** In import order: files that others refer to come first. */
  readonly members: readonly PackageMemberDefinition[];
  /** Small files `plan` reads whole (each at most 64 KB), e.g. OneRoster's `manifest.csv`. */
  readonly reads?: readonly string[];
  /**
   * Decides from the `reads` files (null: not in the zip) and the names of the entries found
   * which members are imported. Default: every member found in the zip.
   */
  plan?(texts: Readonly<Record<string, string | null>>, entries: ReadonlySet<string>): PackagePlan;
}

/**
 * Typed identity helper for adapter plugins: `export default defineAdapter({ ... })`.
 * Generic over the row schema, so `resolve` and `persist` see `z.output<typeof rowSchema>`.
 */
export function defineAdapter<S extends z.ZodType, O extends z.ZodType = z.ZodObject<{}>, P = unknown>(
  definition: AdapterDefinition<S, O, P>,
): AdapterDefinition<S, O, P> {
  return definition;
}

/** An adapter as the host holds it, types erased. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = AdapterDefinition<z.ZodType, z.ZodType, any>;
