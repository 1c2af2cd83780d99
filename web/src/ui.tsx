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
      <ul>
        {error && <li>{error.message}</li>}
        {problems.map((problem, i) => (
          <li key={i}>
            <IssueText issue={problem} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function IssueText({ issue }: { issue: Issue }) {
  const where = [issue.line !== null ? t('issue.line', { line: issue.line }) : null, issue.column ? t('issue.column', { column: issue.column }) : null]
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
      <ul>
        {problems.map((problem, i) => (
          <li key={i}>
            <IssueText issue={problem} />
          </li>
        ))}
      </ul>
    </div>
  );
}
