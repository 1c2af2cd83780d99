import type { Messages } from './messages';
import type { Counts, Issue, Job, JobRow } from './queries';

/** Local time, to the second: 2026-12-02 16:43:26. */
export function formatDate(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Columns padded to their widest cell; `right` lists the columns aligned right (numbers). */
export function formatTable(rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (right.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd())
    .join('\n');
}

function countRows(counts: Counts, t: Messages): string[][] {
  return (Object.keys(t.counts) as Array<keyof Counts>).map((name) => [t.counts[name], String(counts[name])]);
}

export function formatIssue(issue: Pick<Issue, 'line' | 'column' | 'severity' | 'code' | 'message'>, t: Messages): string {
  const where = [issue.line === null ? null : t.line(issue.line), issue.column].filter(Boolean).join(', ');
  return `${t.problem(issue.severity)}${where ? ` (${where})` : ''}: ${issue.code}: ${issue.message}`;
}

/** A job for people: what, how it ended, its counters, and its first issues when fetched. */
export function formatJob(job: Job, t: Messages): string {
  const d = t.details;
  const file = job.file;
  const lines: string[][] = [
    [d.adapter, job.adapter],
    [d.file, `${file.fileName} (${file.encoding}, ${JSON.stringify(file.delimiter)}, ${file.hasHeader ? d.header : d.noHeader})`],
    [d.status, job.status],
    [d.outcome, job.outcome ?? '-'],
    [d.created, formatDate(job.createdAt)],
    [d.started, formatDate(job.startedAt)],
    [d.finished, formatDate(job.finishedAt)],
    [d.createdBy, job.createdBy],
    [d.onExisting, job.onExisting],
    [d.enroll, job.enrollIfNeeded ? d.yes : d.no],
  ];
  if (Object.keys(job.options ?? {}).length > 0) lines.push([d.options, JSON.stringify(job.options)]);
  if (job.failure) lines.push([d.failure, job.failure]);
  const table = formatTable([...lines, ...countRows(job.counts, t)].map(([label, value]) => [`  ${label}`, value]));
  let text = `${d.job(job.id, job.dryRun)}\n${table}`;
  if (job.issues && job.issues.totalCount > 0) {
    const shown = job.issues.edges.map(({ node }) => `  ${formatIssue(node, t)}`);
    text += `\n${d.issues(shown.length, job.issues.totalCount)}\n${shown.join('\n')}`;
  }
  return text;
}

export function formatJobTable(jobs: JobRow[], t: Messages): string {
  const h = t.heading;
  const rows = [[h.id, h.adapter, h.status, h.outcome, h.processed, h.rejected, h.added, h.updated, h.created, h.file]];
  for (const job of jobs) {
    const { counts } = job;
    rows.push([
      job.id,
      job.adapter,
      job.dryRun ? `${job.status} (dry run)` : job.status,
      job.outcome ?? '-',
      String(counts.processed),
      String(counts.rejected),
      String(counts.added),
      String(counts.updated),
      formatDate(job.createdAt),
      job.file.fileName,
    ]);
  }
  return formatTable(rows, new Set([0, 4, 5, 6, 7]));
}
