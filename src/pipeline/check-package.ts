import type { AnyAdapter, PackagePlan } from '../adapters/define-adapter';
import { IssueSeverity } from '../imports/enums';
import { PayloadTooLargeError, type FileStore } from '../imports/file-store';
import type { IssueData } from '../imports/issue-data';
import type { PackageMember } from '../imports/package-member.type';
import { CHECK_SAMPLE_BYTES, checkStoredFile } from './check-file';
import { toIssueData } from './batch';
import { NotAZipError, openZip, readSmallEntry } from './package-zip';

/** A file a package's plan reads whole (a manifest) is small. */
export const PACKAGE_READ_MAX_BYTES = 64 * 1024;

export interface PackageCheck {
  members: PackageMember[];
  problems: IssueData[];
}

export interface PackageCheckOptions {
  adapter: AnyAdapter;
  files: FileStore;
  hasHeader: boolean | null;
  maxRecordSize: number;
  /** The most bytes a member may hold uncompressed: as much as its adapter's upload limit. */
  memberLimit(adapter: AnyAdapter): number;
}

/**
 * Step 2 for a package (a zip): reads its small files (a manifest), asks the adapter which
 * members to import, extracts each of them (streamed, bounded) next to the upload, and checks
 * each as a CSV upload of its own adapter. Problems name their member file. On a failure, what
 * was extracted is removed.
 */
export async function checkPackage(zipPath: string, options: PackageCheckOptions): Promise<PackageCheck> {
  const { adapter, files } = options;
  const definition = adapter.package!;
  const problem = (code: string, file: string | null, params: Record<string, string> = {}): IssueData => ({ file, ...toIssueData({ code, params }, null, adapter) });
  const byFile = new Map(definition.members.map((member) => [member.file, member.adapter]));
  const reads = definition.reads ?? [];
  const limit = (name: string) => (byFile.has(name) ? options.memberLimit(byFile.get(name)!) : PACKAGE_READ_MAX_BYTES);
  let zip;
  try {
    zip = await openZip(zipPath, [...reads, ...byFile.keys()], limit);
  } catch (error) {
    if (error instanceof NotAZipError) return { members: [], problems: [problem('NOT_A_PACKAGE', null, { detail: error.message })] };
    throw error;
  }
  const members: PackageMember[] = [];
  try {
    const problems: IssueData[] = [];
    for (const [name, reason] of zip.refused) problems.push(problem('PACKAGE_MEMBER_REFUSED', name, { reason, limit: String(limit(name)) }));
    const texts: Record<string, string | null> = {};
    for (const name of reads) texts[name] = (await readSmallEntry(zip, name, PACKAGE_READ_MAX_BYTES))?.toString('utf8').replace(/^\uFEFF/, '') ?? null;
    const plan: PackagePlan = definition.plan
      ? definition.plan(texts, zip.names)
      : { members: definition.members.filter((member) => zip.names.has(member.file)).map(({ file }) => ({ file })), problems: [] };
    for (const issue of plan.problems) problems.push({ file: issue.file, ...toIssueData(issue, issue.line ?? null, adapter) });
    // In the package's declared order, whatever order the plan gave.
    const planned = definition.members.filter((member) => plan.members.some((wanted) => wanted.file === member.file));
    for (const { file, adapter: memberAdapter } of planned) {
      const entry = zip.wanted.get(file);
      if (!entry) {
        if (!zip.refused.has(file)) problems.push(problem('PACKAGE_MEMBER_MISSING', file));
        continue;
      }
      let stored;
      try {
        stored = await files.save(await zip.open(entry), limit(file));
      } catch (error) {
        // The bytes are not what the zip declares (yauzl), or more than the limit.
        if (error instanceof PayloadTooLargeError) problems.push(problem('PACKAGE_MEMBER_REFUSED', file, { reason: 'TOO_LARGE', limit: String(limit(file)) }));
        else problems.push(problem('PACKAGE_MEMBER_UNREADABLE', file, { detail: (error as Error).message }));
        continue;
      }
      const member: PackageMember = {
        file,
        adapter: memberAdapter.name,
        storedName: stored.storedName,
        size: stored.size,
        encoding: 'utf-8',
        delimiter: ',',
        hasHeader: true,
        columns: [],
        options: plan.members.find((wanted) => wanted.file === file)?.options ?? {},
      };
      members.push(member);
      const head = await files.head(stored.storedName, CHECK_SAMPLE_BYTES);
      const check = await checkStoredFile(files.uploadPath(stored.storedName), head, {
        adapter: memberAdapter,
        hasHeader: options.hasHeader,
        utf8: stored.utf8,
        maxRecordSize: options.maxRecordSize,
      });
      Object.assign(member, { encoding: check.encoding, delimiter: check.delimiter, hasHeader: check.hasHeader, columns: check.columns });
      problems.push(...check.problems.map((found) => ({ ...found, file })));
    }
    if (planned.length === 0 && !problems.some((found) => found.severity === IssueSeverity.ERROR)) problems.push(problem('PACKAGE_EMPTY', null, { files: [...byFile.keys()].join(', ') }));
    return { members, problems };
  } catch (error) {
    await removeMembers(files, members);
    throw error;
  } finally {
    zip.close();
  }
}

export async function removeMembers(files: FileStore, members: readonly Pick<PackageMember, 'storedName'>[] | null): Promise<void> {
  for (const member of members ?? []) await files.remove(member.storedName);
}
