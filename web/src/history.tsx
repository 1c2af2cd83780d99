import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, type Adapter, type ImportStatus, type Job, type Page } from './api';
import { formatDate, formatNumber, t } from './i18n';
import { sortAdapters, statusLabel } from './labels';
import { href } from './router';
import { ErrorSummary, PageHeading, Pager } from './ui';
import { adapterTitle } from './wizard';

const statuses: ImportStatus[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'UNDONE'];
const PAGE_SIZE = 20;
const FIELDS = 'id adapter status dryRun createdAt createdBy outcome counts { processed rejected errors warnings } file { fileName }';

type Row = Pick<Job, 'id' | 'adapter' | 'status' | 'dryRun' | 'createdAt' | 'createdBy' | 'outcome'> & {
  counts: Pick<Job['counts'], 'processed' | 'rejected' | 'errors' | 'warnings'>;
  file: { fileName: string };
};

/** The import jobs, newest first, filtered by adapter and status, a Relay page at a time. */
export function History({ viewerNote = false }: { viewerNote?: boolean }) {
  const [adapters, setAdapters] = useState<Adapter[]>([]);
  const [adapter, setAdapter] = useState('');
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page<Row> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    gql<{ adapters: Adapter[] }>('{ adapters { name label } }')
      .then(({ adapters }) => setAdapters(sortAdapters(adapters)))
      .catch(setError);
  }, []);
  useEffect(() => {
    setError(null);
    gql<{ importJobs: Page<Row> }>(
      `query ($first: Int, $after: String, $adapter: String, $status: ImportStatus) { importJobs(first: $first, after: $after, adapter: $adapter, status: $status) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${FIELDS} } } } }`,
      { first: PAGE_SIZE, after, adapter: adapter || null, status: status || null },
    )
      .then(({ importJobs }) => setPage(importJobs))
      .catch(setError);
  }, [adapter, status, after]);

  const filter = (set: (value: string) => void) => (event: Event) => {
    set((event.currentTarget as HTMLSelectElement).value);
    setCursors([null]);
  };
  const titleOf = (name: string) => {
    const found = adapters.find((a) => a.name === name);
    return found ? adapterTitle(found) : name;
  };

  return (
    <div class="card wide">
      <PageHeading>{t('history.title')}</PageHeading>
      {viewerNote && <p class="notice">{t('history.viewerNote')}</p>}
      <ErrorSummary error={error} />
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('history.filters')}>
        <div>
          <label for="filter-adapter">{t('history.adapter')}</label>
          <select id="filter-adapter" value={adapter} onChange={filter(setAdapter)}>
            <option value="">{t('history.all')}</option>
            {adapters.map((a) => (
              <option key={a.name} value={a.name}>
                {adapterTitle(a)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-status">{t('history.status')}</label>
          <select id="filter-status" value={status} onChange={filter(setStatus)}>
            <option value="">{t('history.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {page && (
        <>
          <p role="status">{t('history.count', { count: formatNumber(page.totalCount) })}</p>
          {page.edges.length > 0 && (
            <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="history-caption">
              <table>
                <caption id="history-caption">{t('history.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('history.job')}</th>
                    <th scope="col">{t('history.date')}</th>
                    <th scope="col">{t('history.adapter')}</th>
                    <th scope="col">{t('history.file')}</th>
                    <th scope="col">{t('history.status')}</th>
                    <th scope="col" class="num">{t('count.processed')}</th>
                    <th scope="col" class="num">{t('count.rejected')}</th>
                    <th scope="col">{t('history.by')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.edges.map(({ node }) => (
                    <tr key={node.id}>
                      <td>
                        <a href={href.job(node.id)}>{t('history.jobLink', { id: node.id })}</a>
                      </td>
                      <td>{formatDate(node.createdAt)}</td>
                      <td>
                        {titleOf(node.adapter)}
                        {node.dryRun && ` (${t('history.dryRun')})`}
                      </td>
                      <td>{node.file.fileName}</td>
                      <td>
                        <span class={`status status-${node.status}`}>{statusLabel(node.status)}</span>
                      </td>
                      <td class="num">{formatNumber(node.counts.processed)}</td>
                      <td class="num">{formatNumber(node.counts.rejected)}</td>
                      <td>{node.createdBy}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager label={t('history.paging')} cursors={cursors} setCursors={setCursors} endCursor={page.pageInfo.endCursor} hasNextPage={page.pageInfo.hasNextPage} />
        </>
      )}
    </div>
  );
}
