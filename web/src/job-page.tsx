import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, isFinished, ISSUE_FIELDS, type Issue, type Page, type Severity } from './api';
import { formatDate, formatNumber, t } from './i18n';
import { onExistingLabel } from './labels';
import { FixRejects } from './fix';
import { CancelButton, Counters, Downloads, JobProgress, useJob } from './job-view';
import { href } from './router';
import { UndoImport } from './undo';
import { ErrorSummary, PageHeading, Pager } from './ui';

/** A job: what it ran with, its counters, downloads, issues (paged, by severity), cancel while it runs. */
export function JobPage({ jobId, canImport }: { jobId: string; canImport: boolean }) {
  const { job, error, refresh } = useJob(jobId);
  return (
    <div class="card wide">
      <p>
        <a href={href.history}>{t('job.back')}</a>
      </p>
      <PageHeading>{t('job.title', { id: jobId })}</PageHeading>
      <ErrorSummary error={error} />
      {job && (
        <>
          <dl class="facts">
            <dt>{t('history.adapter')}</dt>
            <dd>
              {job.adapter}
              {job.dryRun && ` (${t('history.dryRun')})`}
            </dd>
            <dt>{t('history.file')}</dt>
            <dd>
              {job.file.fileName} ({job.file.encoding}, {job.file.hasHeader ? t('job.withHeader') : t('job.withoutHeader')})
            </dd>
            <dt>{t('job.onExisting')}</dt>
            <dd>{onExistingLabel(job.onExisting, job.adapter)}</dd>
            <dt>{t('history.date')}</dt>
            <dd>{formatDate(job.createdAt)}</dd>
            <dt>{t('history.by')}</dt>
            <dd>{job.createdBy}</dd>
          </dl>
          <JobProgress job={job} />
          {canImport && <CancelButton job={job} onDone={refresh} />}
          <Counters job={job} />
          {isFinished(job.status) && <Downloads job={job} />}
          {isFinished(job.status) && <Links jobId={job.id} />}
          {canImport && isFinished(job.status) && <UndoImport job={job} />}
          {isFinished(job.status) && <Issues jobId={job.id} total={job.counts.errors + job.counts.warnings} />}
          {isFinished(job.status) && !job.dryRun && job.counts.rejected > 0 && <FixRejects job={job} canImport={canImport} />}
        </>
      )}
    </div>
  );
}

/** The job this one corrects, and the jobs that corrected it (fix and re-import). */
export function Links({ jobId }: { jobId: string }) {
  const [links, setLinks] = useState<{ fixes: { id: string } | null; fixedBy: { id: string }[] } | null>(null);
  useEffect(() => {
    gql<{ importJob: typeof links }>('query ($id: ID!) { importJob(id: $id) { fixes { id } fixedBy { id } } }', { id: jobId })
      .then((data) => setLinks(data.importJob))
      .catch(() => setLinks(null));
  }, [jobId]);
  if (!links || (!links.fixes && links.fixedBy.length === 0)) return null;
  return (
    <ul class="links">
      {links.fixes && (
        <li>
          <a href={href.job(links.fixes.id)}>{t('fix.fixes', { id: links.fixes.id })}</a>
        </li>
      )}
      {links.fixedBy.map((fix) => (
        <li key={fix.id}>
          <a href={href.job(fix.id)}>{t('fix.fixedBy', { id: fix.id })}</a>
        </li>
      ))}
    </ul>
  );
}

const ISSUES_PAGE = 50;

/** Issues a page at a time (a job may have millions): the table never holds more than one page. */
function Issues({ jobId, total }: { jobId: string; total: number }) {
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page<Issue> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const after = cursors[cursors.length - 1];
  useEffect(() => {
    gql<{ importJob: { issues: Page<Issue> } }>(
      `query ($id: ID!, $first: Int, $after: String, $severity: IssueSeverity) { importJob(id: $id) {
        issues(first: $first, after: $after, severity: $severity) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ISSUE_FIELDS} } } } } }`,
      { id: jobId, first: ISSUES_PAGE, after, severity: severity || null },
    )
      .then(({ importJob }) => setPage(importJob.issues))
      .catch(setError);
  }, [jobId, severity, after]);
  if (total === 0) return <p>{t('issues.none')}</p>;
  const pages = page ? Math.max(1, Math.ceil(page.totalCount / ISSUES_PAGE)) : 1;
  return (
    <section aria-labelledby="issues-title">
      <h3 id="issues-title">{t('issues.title')}</h3>
      <ErrorSummary error={error} />
      <div class="filters">
        <div>
          <label for="issue-severity">{t('issues.severity')}</label>
          <select
            id="issue-severity"
            value={severity}
            onChange={(e) => {
              setSeverity(e.currentTarget.value as Severity | '');
              setCursors([null]);
            }}
          >
            <option value="">{t('history.all')}</option>
            <option value="ERROR">{t('severity.ERROR')}</option>
            <option value="WARNING">{t('severity.WARNING')}</option>
          </select>
        </div>
      </div>
      {page && (
        <>
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="issues-caption">
            <table class="issues">
              <caption id="issues-caption">{t('issues.caption', { count: formatNumber(page.totalCount) })}</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">{t('issues.line')}</th>
                  <th scope="col">{t('issues.column')}</th>
                  <th scope="col">{t('issues.severity')}</th>
                  <th scope="col">{t('issues.code')}</th>
                  <th scope="col">{t('issues.message')}</th>
                </tr>
              </thead>
              <tbody>
                {page.edges.map(({ cursor, node }) => (
                  <tr key={cursor} class={`sev-${node.severity}`}>
                    <td class="num">{node.file ? `${node.file}:` : ''}{node.line ?? ''}</td>
                    <td>{node.column ?? ''}</td>
                    <td>{t(`severity.${node.severity}`)}</td>
                    <td>
                      <code>{node.code}</code>
                    </td>
                    <td>{node.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label={t('issues.paging')} cursors={cursors} setCursors={setCursors} endCursor={page.pageInfo.endCursor} hasNextPage={page.pageInfo.hasNextPage} pages={pages} />
        </>
      )}
    </section>
  );
}
