import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError, Issue } from './api';
import { t } from './i18n';

/** A heading that takes focus when it appears: each step or page announces itself. */
export function PageHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 ref={ref} tabIndex={-1}>
      {children}
    </h2>
  );
}

/** Problems that stop the user, listed in a box that takes focus (GOV.UK's error summary). */
export function ErrorSummary({ title, error, problems = [] }: { title?: string; error?: ApiError | Error | null; problems?: Issue[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = Boolean(error) || problems.length > 0;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, error, problems.length]);
  if (!shown) return null;
  return (
    <div ref={ref} class="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h3 id="error-summary-title">{title ?? t('error.title')}</h3>
      <IssueList problems={problems} first={error?.message} />
    </div>
  );
}

export function IssueText({ issue }: { issue: Issue }) {
  const where = [issue.file ?? null, issue.line !== null ? t('issue.line', { line: issue.line }) : null, issue.column ? t('issue.column', { column: issue.column }) : null]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      {where && <span class="where">{where} : </span>}
      <code>{issue.code}</code> {issue.message}
    </>
  );
}

export function Warnings({ problems }: { problems: Issue[] }) {
  if (problems.length === 0) return null;
  return (
    <div class="notice" role="status">
      <h3>{t('check.warnings')}</h3>
      <IssueList problems={problems} />
    </div>
  );
}

/** Problems as a list, an optional message first. */
function IssueList({ problems, first }: { problems: Issue[]; first?: string }) {
  return (
    <ul>
      {first && <li>{first}</li>}
      {problems.map((problem, i) => (
        <li key={i}>
          <IssueText issue={problem} />
        </li>
      ))}
    </ul>
  );
}

/**
 * Relay paging, a page at a time: `cursors` holds the `after` of each page seen (null for the
 * first), so that "previous" goes back without the API paging backwards.
 */
export function Pager({ label, cursors, setCursors, endCursor, hasNextPage, pages }: {
  label: string;
  cursors: Array<string | null>;
  setCursors: (cursors: Array<string | null>) => void;
  endCursor: string | null;
  hasNextPage: boolean;
  /** Pages in all, when known. */
  pages?: number;
}) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
        {t('paging.previous')}
      </button>
      <span>{pages === undefined ? t('paging.page', { page: cursors.length }) : t('paging.pageOf', { page: cursors.length, pages })}</span>
      <button type="button" class="secondary" disabled={!hasNextPage} onClick={() => setCursors([...cursors, endCursor])}>
        {t('paging.next')}
      </button>
    </nav>
  );
}
