import { useEffect, useState } from 'preact/hooks';
import { ApiError, download, followJob, gql, isFinished, JOB_FIELDS, type Counts, type Job } from './api';
import { formatNumber, t, type MessageKey } from './i18n';
import { isStatistics, statusLabel } from './labels';

/** A job, loaded once, then followed live over the subscription until its final status. */
export function useJob(jobId: string): { job: Job | null; error: ApiError | null; refresh(): void } {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let stop = () => {};
    let active = true;
    // Without the WebSocket (a proxy that drops it), the job is read again every second.
    const poll = () => {
      const timer = setInterval(() => {
        gql<{ importJob: Job | null }>(`query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`, { id: jobId })
          .then(({ importJob }) => {
            if (!active || !importJob) return;
            setJob(importJob);
            if (isFinished(importJob.status)) clearInterval(timer);
          })
          .catch((caught) => {
            clearInterval(timer);
            if (active) setError(caught);
          });
      }, 1000);
      return () => clearInterval(timer);
    };
    gql<{ importJob: Job | null }>(`query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`, { id: jobId })
      .then(({ importJob }) => {
        if (!active) return;
        if (!importJob) return setError(new ApiError(t('job.notFound', { id: jobId }), 'NOT_FOUND'));
        setJob(importJob);
        if (!isFinished(importJob.status)) {
          stop = followJob(jobId, JOB_FIELDS, (next) => active && setJob(next), () => active && (stop = poll()));
        }
      })
      .catch((caught) => active && setError(caught));
    return () => {
      active = false;
      stop();
    };
  }, [jobId, generation]);
  return { job, error, refresh: () => setGeneration((g) => g + 1) };
}

/**
 * The progress bar and its text. The live region says the status and the progress by tens of
 * percent, so that a screen reader hears a few steps and the end, not every batch.
 */
export function JobProgress({ job }: { job: Job }) {
  const percent = Math.round((isFinished(job.status) && job.status === 'SUCCEEDED' ? 1 : job.progress) * 100);
  const tens = Math.floor(percent / 10) * 10;
  return (
    <div class="progress">
      <label for={`progress-${job.id}`}>{t('progress.label')}</label>
      <progress id={`progress-${job.id}`} max={100} value={percent}>
        {percent} %
      </progress>
      <p id="job-status">
        <span role="status" aria-live="polite" aria-atomic="true">
          <span class={`status status-${job.status}`}>{statusLabel(job.status)}</span> — {tens} %
        </span>{' '}
        — {t('progress.processed', { count: formatNumber(job.counts.processed) })}
      </p>
      {job.failure && <p class="error-text">{job.failure}</p>}
    </div>
  );
}

const counterKeys = (adapter: string): Array<[keyof Counts, MessageKey]> => {
  const stats = isStatistics(adapter);
  return [
    ['processed', 'count.processed'],
    ['rejected', 'count.rejected'],
    ['added', stats ? 'count.addedStats' : 'count.added'],
    ['updated', stats ? 'count.updatedStats' : 'count.updated'],
    ['unchanged', 'count.unchanged'],
    ['errors', 'count.errors'],
    ['warnings', 'count.warnings'],
  ];
};

/** A sync's own counters. */
const syncCounterKeys: Array<[keyof Counts, MessageKey]> = [
  ['retired', 'count.retired'],
  ['restored', 'count.restored'],
];

/** An undo job's counters: processed = deleted + restored + conflicts + unchanged. */
const undoCounterKeys: Array<[keyof Counts, MessageKey]> = [
  ['processed', 'count.undoProcessed'],
  ['deleted', 'count.deleted'],
  ['restored', 'count.undoRestored'],
  ['conflicts', 'count.conflicts'],
  ['unchanged', 'count.undoUnchanged'],
  ['errors', 'count.errors'],
  ['warnings', 'count.warnings'],
];

/** The seed's result block: records processed, rejected, added, updated, errors, warnings. */
export function Counters({ job, heading = true }: { job: Job; heading?: boolean }) {
  return (
    <section class="counters" aria-labelledby={heading ? `counters-${job.id}` : undefined} aria-label={heading ? undefined : t('count.title')}>
      {heading && <h3 id={`counters-${job.id}`}>{t(job.dryRun ? 'count.titleDryRun' : 'count.title')}</h3>}
      <dl>
        {(job.undoConflicts ? undoCounterKeys : [...counterKeys(job.adapter), ...(job.mode === 'SNAPSHOT' ? syncCounterKeys : [])]).map(([name, key]) => (
          <div key={name}>
            <dt>{t(key)}</dt>
            <dd id={`count-${name}`}>{formatNumber(job.counts[name])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The log and rejects files, fetched with the token and saved. */
export function Downloads({ job }: { job: Job }) {
  const [error, setError] = useState<ApiError | null>(null);
  // A package import (a zip of several files): its rejects are one file per member, zipped.
  const rejects = job.file.members ? 'rejects.zip' : 'rejects.csv';
  const get = (what: 'log.txt' | 'rejects.csv' | 'rejects.zip') => (event: Event) => {
    event.preventDefault();
    setError(null);
    download(`/imports/${job.id}/${what}`, `import-${job.id}-${what.replace('.', '-')}`).catch(setError);
  };
  return (
    <div class="downloads">
      <a href={`/imports/${job.id}/log.txt`} onClick={get('log.txt')}>
        {t('download.log')}
      </a>
      <a href={`/imports/${job.id}/${rejects}`} onClick={get(rejects)}>
        {t('download.rejects')}
      </a>
      {error && (
        <p class="error-text" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}

export function CancelButton({ job, onDone }: { job: Job; onDone?: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (isFinished(job.status)) return null;
  const cancel = async () => {
    setBusy(true);
    try {
      await gql('mutation ($id: ID!) { cancelImport(id: $id) { id status } }', { id: job.id });
      onDone?.();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="danger" onClick={cancel} disabled={busy}>
        {t('job.cancel')}
      </button>
      {error && (
        <p class="error-text" role="alert">
          {error.message}
        </p>
      )}
    </>
  );
}
