import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, uploadFile, type Adapter, type Issue, type Job, type Page } from './api';
import { formatNumber, t } from './i18n';
import { autoMatch } from './labels';
import { href, navigate } from './router';
import { ErrorSummary, Pager } from './ui';

interface Rejected { line: number | null; fields: string[]; issues: Issue[] }
type RejectedPage = Page<Rejected> & { header: string[] | null };

const PAGE = 25;
const REJECTED = `query ($id: ID!, $first: Int, $after: String) { importJob(id: $id) { rejectedRecords(first: $first, after: $after) {
  totalCount header pageInfo { hasNextPage endCursor } edges { cursor node { line fields issues { line column severity code message } } } } } }`;

const fetchPage = (id: string, first: number, after: string | null) =>
  gql<{ importJob: { rejectedRecords: RejectedPage } }>(REJECTED, { id, first, after }).then((data) => data.importJob.rejectedRecords);

/** One CSV field, quoted when it must be (separator, quote, line break, edge spaces). */
function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Fix and re-import: the rejected records with their errors on the cells; the user corrects
 * cells (or leaves records out) and sends the corrected records as a new import of the same
 * adapter with the same options, linked to this job (fixesJobId).
 */
export function FixRejects({ job, canImport }: { job: Job; canImport: boolean }) {
  const [adapter, setAdapter] = useState<Adapter | null>(null);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<RejectedPage | null>(null);
  const [edits, setEdits] = useState<Map<number, string[]>>(new Map());
  const [left, setLeft] = useState<Set<number>>(new Set());
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const after = cursors[cursors.length - 1];
  const offset = (cursors.length - 1) * PAGE;

  useEffect(() => {
    gql<{ adapter: Adapter | null }>('query ($name: String!) { adapter(name: $name) { name enrollIfNeeded columns { name label required description aliases codes { code label } } } }', { name: job.adapter })
      .then((data) => setAdapter(data.adapter))
      .catch(setError);
  }, [job.adapter]);
  useEffect(() => {
    fetchPage(job.id, PAGE, after).then(setPage).catch(setError);
  }, [job.id, after]);

  if (!page || !adapter) return error ? <ErrorSummary error={error} /> : null;
  if (page.totalCount === 0) return null;

  // Which adapter column each field is: the header as the job mapped it, else the format's order.
  const columnMap = (job.options.columnMap ?? {}) as Record<string, string>;
  const width = Math.max(page.header?.length ?? 0, adapter.columns.length, ...page.edges.map((e) => e.node.fields.length));
  const columnOf = (i: number) => (page.header ? (columnMap[page.header[i]] ?? autoMatch(page.header[i] ?? '', adapter)) : (adapter.columns[i]?.name ?? ''));
  const heading = (i: number) => (page.header ? page.header[i] ?? `#${i + 1}` : adapter.columns[i]?.name ?? `#${i + 1}`);
  const fieldsOf = (index: number, node: Rejected) => edits.get(index) ?? node.fields;
  // A column with a code table offers its codes (with their labels, in the user's language).
  const codesOf = (column: string) => {
    const codes = adapter.columns.find((c) => c.name === column)?.codes ?? [];
    return codes.length > 0 ? codes : null;
  };
  const codeColumns = adapter.columns.filter((c) => (c.codes ?? []).length > 0);

  const edit = (index: number, node: Rejected, at: number, value: string) => {
    const fields = [...fieldsOf(index, node)];
    while (fields.length <= at) fields.push('');
    fields[at] = value;
    setEdits(new Map(edits).set(index, fields));
  };
  const toggle = (index: number, include: boolean) => {
    const next = new Set(left);
    if (include) next.delete(index);
    else next.add(index);
    setLeft(next);
  };

  const send = async () => {
    setError(null);
    setBusy(true);
    try {
      // Every rejected record, page by page, with the user's corrections.
      const kept: string[][] = [];
      let cursor: string | null = null;
      let index = 0;
      for (;;) {
        const all: RejectedPage = await fetchPage(job.id, 500, cursor);
        for (const edge of all.edges) {
          if (!left.has(index)) kept.push(edits.get(index) ?? edge.node.fields);
          index++;
        }
        if (!all.pageInfo.hasNextPage) break;
        cursor = all.pageInfo.endCursor;
      }
      if (kept.length === 0) throw new ApiError(t('fix.nothing'), 'NOTHING');
      const delimiter = job.file.delimiter;
      const lines = [...(page.header ? [page.header] : []), ...kept].map((fields) => fields.map((f) => csvField(f, delimiter)).join(delimiter));
      const blob = new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
      const file = await uploadFile(blob, `import-${job.id}-corrections.csv`, job.adapter, page.header !== null);
      const blocking = file.problems.filter((p) => p.severity === 'ERROR');
      if (blocking.length > 0) throw new ApiError(t('fix.fileRefused'), 'BAD_USER_INPUT', blocking);
      const { allowDuplicate: _duplicate, ...options } = job.options;
      const { runImport } = await gql<{ runImport: { id: string } }>('mutation ($input: RunImportInput!) { runImport(input: $input) { id } }', {
        input: {
          fileId: file.id,
          onExisting: job.onExisting,
          ...(adapter.enrollIfNeeded ? { enrollIfNeeded: job.enrollIfNeeded } : {}),
          options,
          fixesJobId: job.id,
        },
      });
      navigate(href.import(runImport.id));
    } catch (caught) {
      setError(caught as ApiError);
      setBusy(false);
    }
  };

  const pages = Math.max(1, Math.ceil(page.totalCount / PAGE));
  return (
    <section aria-labelledby="fix-title" class="fix">
      <h3 id="fix-title">{t(canImport ? 'fix.title' : 'fix.titleReadOnly')}</h3>
      {canImport && <p class="hint">{t('fix.hint')}</p>}
      <ErrorSummary error={error} problems={error?.problems ?? []} />
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="fix-caption">
        <table>
          <caption id="fix-caption">{t('fix.caption', { count: formatNumber(page.totalCount) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('issues.line')}</th>
              {canImport && <th scope="col">{t('fix.include')}</th>}
              {Array.from({ length: width }, (_, i) => (
                <th scope="col" key={i}>
                  {heading(i)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ cursor, node }, r) => {
              const index = offset + r;
              const fields = fieldsOf(index, node);
              const rowIssues = node.issues.filter((issue) => !issue.column || !Array.from({ length: width }, (_, i) => columnOf(i)).includes(issue.column));
              const line = node.line ?? '?';
              return (
                <tr key={cursor}>
                  <th scope="row">
                    {line}
                    {rowIssues.map((issue, k) => (
                      <span class="cell-error" key={k}>
                        {issue.message}
                      </span>
                    ))}
                  </th>
                  {canImport && (
                    <td>
                      <input type="checkbox" checked={!left.has(index)} onChange={(e) => toggle(index, e.currentTarget.checked)} aria-label={t('fix.includeLine', { line })} />
                    </td>
                  )}
                  {Array.from({ length: width }, (_, i) => {
                    const column = columnOf(i);
                    const issues = node.issues.filter((issue) => column !== '' && issue.column === column);
                    const errorId = `fix-${index}-${i}-error`;
                    const bad = issues.some((issue) => issue.severity === 'ERROR');
                    return (
                      <td key={i} class={bad ? 'bad' : undefined}>
                        {canImport ? (
                          <input
                            type="text"
                            value={fields[i] ?? ''}
                            aria-label={t('fix.cell', { line, column: heading(i) })}
                            aria-invalid={bad ? 'true' : undefined}
                            aria-describedby={issues.length > 0 ? errorId : undefined}
                            list={codesOf(column) ? `codes-${column}` : undefined}
                            onInput={(e) => edit(index, node, i, e.currentTarget.value)}
                          />
                        ) : (
                          fields[i] ?? ''
                        )}
                        {issues.length > 0 && (
                          <span class="cell-error" id={errorId}>
                            {issues.map((issue) => issue.message).join(' ; ')}
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canImport &&
        codeColumns.map((column) => (
          <datalist id={`codes-${column.name}`} key={column.name}>
            {column.codes!.map((entry) => (
              <option key={entry.code} value={entry.code}>
                {entry.label}
              </option>
            ))}
          </datalist>
        ))}
      {pages > 1 && (
        <Pager label={t('fix.paging')} cursors={cursors} setCursors={setCursors} endCursor={page.pageInfo.endCursor} hasNextPage={page.pageInfo.hasNextPage} pages={pages} />
      )}
      {canImport && (
        <div class="actions">
          <button type="button" onClick={send} disabled={busy}>
            {t('fix.send', { count: formatNumber(page.totalCount - left.size) })}
          </button>
          {busy && <span role="status">{t('select.uploading')}</span>}
        </div>
      )}
    </section>
  );
}
