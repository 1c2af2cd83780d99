import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ImportMode, ImportOutcome, ImportStatus, OnExisting, UndoConflicts } from './enums';

/** One run of an adapter over an uploaded file: options, progress, counters and checkpoint. */
@ObjectType({ description: 'One run of an adapter over an uploaded file' })
@Entity('import_jobs')
@Index('ix_import_jobs_status', ['status'])
@Index('ix_import_jobs_parent', ['parentId'])
export class ImportJob {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  adapter: string;

  @Column({ type: 'int' })
  fileId: number;

  @Field(() => ImportStatus)
  @Column({ type: 'varchar', length: 12 })
  status: ImportStatus;

  @Field()
  @Column({ type: 'boolean', default: false })
  dryRun: boolean;

  @Field(() => OnExisting)
  @Column({ type: 'varchar', length: 12 })
  onExisting: OnExisting;

  @Field()
  @Column({ type: 'boolean', default: false })
  enrollIfNeeded: boolean;

  /** Adapter options as validated by the adapter (JSON). */
  @Column({ type: 'simple-json' })
  options: Record<string, unknown>;

  /** The import's date (`YYYY-MM-DD`): empty status dates take it. */
  @Field({ description: "The import's date; empty status dates take it" })
  @Column({ type: 'date' })
  importDate: string;

  @Field(() => Float, { description: '0..1' })
  @Column({ type: 'double', default: 0 })
  progress: number;

  // Checkpoint: committed with each batch, so that a restarted job resumes where it stopped.
  @Column({ type: 'int', default: 0 })
  recordsDone: number;

  @Column({ type: 'int', default: 0 })
  rejectsBytes: number;

  /** A package import: the member file the checkpoint is in (recordsDone and rejectsBytes are that member's). */
  @Column({ type: 'int', default: 0 })
  memberIndex: number;

  @Column({ type: 'int', default: 0 })
  processed: number;

  @Column({ type: 'int', default: 0 })
  rejected: number;

  @Column({ type: 'int', default: 0 })
  added: number;

  @Column({ type: 'int', default: 0 })
  updated: number;

  @Column({ type: 'int', default: 0 })
  unchanged: number;

  @Column({ type: 'int', default: 0 })
  errors: number;

  @Column({ type: 'int', default: 0 })
  warnings: number;

  @Field(() => ImportMode, { description: 'MERGE, or SNAPSHOT: rows of its data set the file no longer has are retired' })
  @Column({ type: 'varchar', length: 8, default: ImportMode.MERGE })
  mode: ImportMode;

  /** The data set the rows this job writes belong to (a sync's rows are those of its data set). */
  @Field(() => String, { nullable: true, description: 'The data set the rows this job writes belong to' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  @Index('ix_import_jobs_data_set')
  dataSet: string | null;

  @Field(() => Int, { nullable: true, description: 'SNAPSHOT: the most rows of a type it may retire, in percent of the data set\'s rows of that type' })
  @Column({ type: 'int', nullable: true })
  changeThreshold: number | null;

  /** SNAPSHOT: rows of the data set retired (or, in a dry run, that would be). */
  @Column({ type: 'int', default: 0 })
  retired: number;

  /** SNAPSHOT: where its retirements are (null: not begun or under way; DONE; EXCEEDED: none applied). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  syncPhase: 'DONE' | 'EXCEEDED' | null;

  // An undo job's counters: processed = deleted + restored + conflicts + unchanged.
  @Column({ type: 'int', default: 0 })
  deleted: number;

  @Column({ type: 'int', default: 0 })
  restored: number;

  @Column({ type: 'int', default: 0 })
  conflicts: number;

  /** On an undo job: the import it takes back (undoImport). */
  @Column({ type: 'int', nullable: true })
  @Index('ix_import_jobs_undoes')
  undoesJobId: number | null;

  @Field(() => UndoConflicts, { nullable: true, description: 'On an undo job: what it does with conflicts' })
  @Column({ type: 'varchar', length: 8, nullable: true })
  undoConflicts: UndoConflicts | null;

  /** An undo job's checkpoint: its pass, step and the last key done (UndoRun). */
  @Column({ type: 'simple-json', nullable: true })
  undoCursor: UndoCursor | null;

  @Field(() => String, { nullable: true, description: 'Why the job failed, when it did' })
  @Column({ type: 'text', nullable: true })
  failure: string | null;

  @Field(() => ImportOutcome, { nullable: true, description: 'What the job came to; null until it finishes' })
  @Column({ type: 'varchar', length: 20, nullable: true })
  outcome: ImportOutcome | null;

  @Column({ type: 'boolean', default: false })
  cancelRequested: boolean;

  /** The fencing token of the run that holds the job: a batch commits only while it is the job's. */
  @Column({ type: 'int', default: 0 })
  lease: number;

  /**
   * How many parts a large import was split into, run by several workers at once (0: one
   * stream). On the job and on each part.
   */
  @Field(() => Int, { description: 'How many partition jobs this import was split into across workers (0: read in one stream)' })
  @Column({ type: 'int', default: 0 })
  partitions: number;

  /** On a part of a split import: the job it is part of (parts are not listed in the history). */
  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  /** On a part: which one, 0 to partitions - 1. */
  @Column({ type: 'int', nullable: true })
  partitionIndex: number | null;

  /** The job whose rejected records this one imports again, corrected (fix and re-import). */
  @Column({ type: 'int', nullable: true })
  @Index('ix_import_jobs_fixes')
  fixesJobId: number | null;

  /** The token that ran the job (audit). */
  @Column({ type: 'int', nullable: true })
  tokenId: number | null;

  @Field()
  @CreateDateColumn()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'datetime', nullable: true })
  finishedAt: Date | null;
}

/** Where an undo job is: a scan (report only) or the apply pass, the step (a table), the last key done. */
export interface UndoCursor {
  pass: 'scan' | 'apply';
  step: number;
  after: number | [string, number] | null;
}

export const counterNames = ['processed', 'rejected', 'added', 'updated', 'unchanged', 'errors', 'warnings'] as const;
export type Counters = Record<(typeof counterNames)[number], number>;

/** An undo job's counters (with processed, errors and warnings, and unchanged for a refused undo). */
export const undoCounterNames = ['processed', 'deleted', 'restored', 'conflicts', 'unchanged', 'errors', 'warnings'] as const;
export type UndoCounters = Record<(typeof undoCounterNames)[number], number>;

/**
 * What a job's counters come to. NOTHING_IMPORTED when no record was accepted: all rejected, or
 * no record at all (an empty file, a job cancelled before its first batch). Records left
 * unchanged count as imported: the database already holds them as the file has them.
 */
export function outcomeOf(counters: Counters): ImportOutcome {
  if (counters.added + counters.updated + counters.unchanged === 0) return ImportOutcome.NOTHING_IMPORTED;
  return counters.rejected > 0 ? ImportOutcome.WITH_REJECTS : ImportOutcome.CLEAN;
}

/** What an undo job came to: CLEAN (all undone), WITH_REJECTS (conflicts left), NOTHING_IMPORTED (nothing undone). */
export function undoOutcomeOf(counters: UndoCounters): ImportOutcome {
  if (counters.deleted + counters.restored === 0) return ImportOutcome.NOTHING_IMPORTED;
  return counters.conflicts > 0 ? ImportOutcome.WITH_REJECTS : ImportOutcome.CLEAN;
}
