import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Role } from '../auth/role';
import { ImportStatus, IssueSeverity, UndoConflicts } from '../imports/enums';
import { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
import { ImportJob } from '../imports/import-job.entity';
import { watchJob } from '../jobs/watch-job';
import { Connection } from './connection';
import type { GraphQLContext } from './context';
import { apiError } from './errors';
import { RunImportInput } from './run-import.input';

@ObjectType({
  description: 'Counters of a job. An import: processed = added + updated + unchanged + rejected. An undo job: processed = deleted + restored + conflicts + unchanged',
})
export class ImportCounts {
  @Field(() => Int) processed: number;
  @Field(() => Int) rejected: number;
  @Field(() => Int) added: number;
  @Field(() => Int) updated: number;
  @Field(() => Int, { description: 'Rows identical to what was already stored' }) unchanged: number;
  @Field(() => Int) errors: number;
  @Field(() => Int) warnings: number;
  @Field(() => Int, { description: 'Undo job: rows the undone import added, deleted' }) deleted: number;
  @Field(() => Int, { description: 'Undo job: rows the undone import updated, given back their previous values. Sync: rows an earlier sync retired, back in the file' })
  restored: number;
  @Field(() => Int, { description: 'Undo job: rows left as they are, changed since by (or referenced by rows of) another job' }) conflicts: number;
  @Field(() => Int, { description: 'Sync (SNAPSHOT): rows of the data set not in the file, retired (a dry run: that would be)' }) retired: number;
}

@ObjectType()
export class ImportJobConnection extends Connection(ImportJob) {}

@ObjectType()
export class ImportIssueConnection extends Connection(ImportIssue) {}

@ObjectType({ description: 'A rejected record, to be corrected and imported again' })
export class RejectedRecord {
  @Field(() => Int, { nullable: true, description: 'Line of the imported file where the record starts' })
  line: number | null;

  @Field(() => [String], { description: "Its fields, as in the rejects file (the input's layout)" })
  fields: string[];

  @Field(() => [ImportIssue], { description: 'Its errors and warnings' })
  issues: ImportIssue[];
}

@ObjectType()
export class RejectedRecordConnection extends Connection(RejectedRecord) {
  @Field(() => [String], { nullable: true, description: "The rejects file's header row (the input's), null when the input had none" })
  header: string[] | null;
}

@ArgsType()
class ImportJobsArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => String, { nullable: true }) adapter?: string | null;
  @Field(() => ImportStatus, { nullable: true }) status?: ImportStatus | null;
  @Field(() => String, { nullable: true, description: 'Only the jobs of this data set (runImport dataSet)' }) dataSet?: string | null;
}

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
class IssuesArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => IssueSeverity, { nullable: true }) severity?: IssueSeverity | null;
}

/** IDs are strings in GraphQL and integers in the database. */
function parseId(id: string, what: string): number {
  if (!/^\d{1,10}$/.test(id)) throw apiError('NOT_FOUND', `No ${what} with id ${JSON.stringify(id)}`);
  return Number(id);
}

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Authorized(Role.VIEWER)
  @Query(() => ImportJob, { nullable: true })
  importJob(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ImportJob | null> {
    return ctx.services.imports.job(parseId(id, 'import job'));
  }

  @Authorized(Role.VIEWER)
  @Query(() => ImportJobConnection, { description: 'The history of imports, newest first' })
  importJobs(@Args() args: ImportJobsArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.reports.jobs(args);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => ImportJob, { description: 'Queues an import (or a dry run) of an uploaded file' })
  runImport(@Arg('input') input: RunImportInput, @Ctx() ctx: GraphQLContext): Promise<ImportJob> {
    const fixesJobId = input.fixesJobId == null ? null : parseId(input.fixesJobId, 'import job');
    return ctx.services.imports.run({ ...input, fileId: parseId(input.fileId, 'uploaded file'), fixesJobId }, ctx.principal.tokenId, ctx.lang);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => ImportJob, { description: 'Stops a job; batches already committed stay' })
  cancelImport(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ImportJob> {
    return ctx.services.imports.cancel(parseId(id, 'import job'));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => ImportJob, {
    description: 'Goes on with a cancelled job (or a failed one that committed batches) from its checkpoint: same job, counters continuing',
  })
  resumeImport(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ImportJob> {
    return ctx.services.imports.resume(parseId(id, 'import job'));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => ImportJob, {
    description:
      'Queues an undo job: the rows the import added are deleted, the rows it updated get their previous values back; rows changed since by another job are conflicts (see UndoConflicts)',
  })
  undoImport(
    @Arg('id', () => ID) id: string,
    @Arg('conflicts', () => UndoConflicts, { nullable: true, defaultValue: UndoConflicts.REFUSE }) conflicts: UndoConflicts | null,
    @Arg('dryRun', () => Boolean, { nullable: true, description: 'Report what the undo would do, change nothing (default false)' }) dryRun: boolean | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportJob> {
    return ctx.services.undo.undo(parseId(id, 'import job'), conflicts ?? UndoConflicts.REFUSE, dryRun ?? false, ctx.principal.tokenId);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => ImportJob, {
    description: 'The job now, then on every progress step, and last its final status',
    subscribe: async ({ args, context }) => {
      const { bus, imports } = (context as GraphQLContext).services;
      const jobId = parseId(String(args.jobId), 'import job');
      if (!(await imports.job(jobId))) throw apiError('NOT_FOUND', `No import job with id ${jobId}`);
      return watchJob(bus, (id) => imports.job(id), jobId);
    },
  })
  importProgress(@Arg('jobId', () => ID) _jobId: string, @Root() job: ImportJob): ImportJob {
    return job;
  }

  @FieldResolver(() => ImportFile)
  async file(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<ImportFile> {
    return (await ctx.services.imports.file(job.fileId)) as ImportFile;
  }

  @FieldResolver(() => String, { description: 'Who ran the job (audit): the token\'s name, or ADMIN_TOKEN' })
  createdBy(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.tokens.nameOf(job.tokenId);
  }

  @FieldResolver(() => GraphQLJSON, { description: 'The options the job ran with, as validated (audit)' })
  options(@Root() job: ImportJob): Record<string, unknown> {
    return job.options;
  }

  @FieldResolver(() => ImportCounts)
  counts(@Root() job: ImportJob): ImportCounts {
    const { processed, rejected, added, updated, unchanged, errors, warnings, deleted, restored, conflicts, retired } = job;
    return { processed, rejected, added, updated, unchanged, errors, warnings, deleted, restored, conflicts, retired };
  }

  @FieldResolver(() => ImportIssueConnection, { description: 'Every error and warning, in file order' })
  issues(@Root() job: ImportJob, @Args() args: IssuesArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.reports.issues(job.id, args);
  }

  @FieldResolver(() => String, { description: 'The log file: one line per issue, then the counters' })
  logText(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.reports.logText(job, ctx.lang);
  }

  @FieldResolver(() => RejectedRecordConnection, {
    description: 'The rejected records of the rejects file, each with its line in the imported file and its issues (first: at most 500)',
  })
  rejectedRecords(@Root() job: ImportJob, @Args() args: PageArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.reports.rejectedRecords(job, args);
  }

  @FieldResolver(() => ImportJob, { nullable: true, description: 'The job whose rejected records this one imported again, corrected' })
  fixes(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<ImportJob | null> | null {
    return job.fixesJobId === null ? null : ctx.services.imports.job(job.fixesJobId);
  }

  @FieldResolver(() => [ImportJob], { description: 'The jobs that imported corrected records of this one, oldest first' })
  fixedBy(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<ImportJob[]> {
    return ctx.services.imports.fixesOf(job.id);
  }

  @FieldResolver(() => ImportJob, { nullable: true, description: 'On an undo job: the import it takes back' })
  undoes(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<ImportJob | null> | null {
    return job.undoesJobId === null ? null : ctx.services.imports.job(job.undoesJobId);
  }

  @FieldResolver(() => ImportJob, { nullable: true, description: 'The undo job that took this import back (status UNDONE)' })
  undoneBy(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<ImportJob | null> | null {
    return job.undoesJobId !== null ? null : ctx.services.undo.undoneBy(job.id);
  }

  @FieldResolver(() => String, { description: 'The rejected records in the layout of the input' })
  rejectsCsv(@Root() job: ImportJob, @Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.reports.rejectsCsv(job);
  }
}
