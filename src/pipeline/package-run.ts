import type { AnyAdapter } from '../adapters/define-adapter';
import { ImportFile } from '../imports/import-file.entity';
import type { ImportJob } from '../imports/import-job.entity';
import type { RunnerDeps } from './import-runner';
import { FileProblemError, JobRun } from './job-run';
import { updateLeased } from './lease';

/**
 * A package import: its member files, in the package's order, one after the other, as one job
 * with one set of counters. The checkpoint is the member (memberIndex) and the records of it
 * done (recordsDone): a member's end moves it to the next member, in one transaction, so that a
 * job resumed after a crash goes on from the right member and record.
 */
export async function runPackage(
  deps: RunnerDeps,
  job: ImportJob,
  file: ImportFile,
  adapter: AnyAdapter,
  signal: AbortSignal,
  onPublish: (job: ImportJob) => void,
): Promise<boolean> {
  const members = file.members ?? [];
  const bytesTotal = members.reduce((sum, member) => sum + member.size, 0);
  for (let index = job.memberIndex; index < members.length; index++) {
    const member = members[index];
    const memberAdapter = adapter.package!.members.find((declared) => declared.file === member.file)?.adapter;
    if (!memberAdapter) throw new FileProblemError(`The adapter "${adapter.name}" no longer reads ${member.file}`);
    // The member as a file of its own: the job reads it as it would read that upload.
    const memberFile = Object.assign(new ImportFile(), file, {
      storedName: member.storedName,
      size: member.size,
      encoding: member.encoding,
      delimiter: member.delimiter,
      hasHeader: member.hasHeader,
      columns: member.columns,
      problems: [],
      members: null,
    });
    const bytesBefore = members.slice(0, index).reduce((sum, before) => sum + before.size, 0);
    const run = new JobRun(deps, job, memberFile, memberAdapter, signal, onPublish, { file: member.file, options: member.options, bytesBefore, bytesTotal });
    if (!(await run.execute())) return false;
    if (index + 1 === members.length) break;
    const next = { memberIndex: index + 1, recordsDone: 0, rejectsBytes: 0 };
    await deps.store.transaction((m) => updateLeased(m, job, next));
    Object.assign(job, next);
  }
  return true;
}
