import { isFinished } from './api';
import { t } from './i18n';
import { CancelButton, Counters, Downloads, JobProgress, useJob } from './job-view';
import { Links } from './job-page';
import { href, navigate } from './router';
import { ErrorSummary, PageHeading } from './ui';
import { Stepper } from './wizard';

/** Step 4: the import's live progress, then the result block; its URL holds the job, so a reload comes back. */
export function ImportStep({ jobId, canImport }: { jobId: string; canImport: boolean }) {
  const { job, error, refresh } = useJob(jobId);
  return (
    <div class="card">
      <Stepper current={4} />
      <PageHeading>{t('import.title')}</PageHeading>
      <ErrorSummary error={error} />
      {job && (
        <>
          <p>{t('import.job', { id: job.id, file: job.file.fileName })}</p>
          <JobProgress job={job} />
          {!isFinished(job.status) && canImport && <CancelButton job={job} onDone={refresh} />}
          {/* A live region from the start: the result block is announced when it appears. */}
          <div aria-live="polite">
            {isFinished(job.status) && (
              <>
                <Counters job={job} />
                <Downloads job={job} />
                <Links jobId={job.id} />
              </>
            )}
          </div>
          <p>
            <a href={href.job(job.id)}>{t('import.details')}</a>
          </p>
        </>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => navigate(canImport ? href.wizard : href.history)}>
          {t('action.reset')}
        </button>
      </div>
    </div>
  );
}
