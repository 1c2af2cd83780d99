import { useEffect, useState } from 'preact/hooks';
import { gql, isFinished, ISSUE_FIELDS, type Issue, type Job } from './api';
import { t } from './i18n';
import { Counters, JobProgress, useJob } from './job-view';
import { IssueText } from './ui';

/** A dry run's progress, then its counters and first issues. */
export function DryRun({ job: started }: { job: Job }) {
  const { job, error } = useJob(started.id);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const shown = job ?? started;
  const finished = isFinished(shown.status);
  useEffect(() => {
    if (!finished) return;
    gql<{ importJob: { issues: { edges: { node: Issue }[] } } }>(`query ($id: ID!) { importJob(id: $id) { issues(first: 10) { edges { node { ${ISSUE_FIELDS} } } } } }`, { id: started.id })
      .then(({ importJob }) => setIssues(importJob.issues.edges.map((e) => e.node)))
      .catch(() => setIssues([]));
  }, [finished]);
  return (
    <div class="dry-run-result">
      <JobProgress job={shown} />
      {error && <p class="error-text" role="alert">{error.message}</p>}
      {finished && <Counters job={shown} />}
      {issues && issues.length > 0 && (
        <>
          <h4>{t('dryRun.firstIssues')}</h4>
          <ul class="issues-list">
            {issues.map((issue, i) => (
              <li key={i} class={`sev-${issue.severity}`}>
                <IssueText issue={issue} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
