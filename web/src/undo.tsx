import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, isFinished, type Job } from './api';
import { formatNumber, t } from './i18n';
import { href, navigate } from './router';

type Conflicts = 'REFUSE' | 'SKIP' | 'FORCE';
const CHOICES: Conflicts[] = ['REFUSE', 'SKIP', 'FORCE'];

interface UndoCounts {
  id: string;
  status: Job['status'];
  failure: string | null;
  counts: { deleted: number; restored: number; conflicts: number };
}

const UNDO = `mutation ($id: ID!, $conflicts: UndoConflicts, $dryRun: Boolean) { undoImport(id: $id, conflicts: $conflicts, dryRun: $dryRun) { id } }`;
const UNDO_JOB = 'query ($id: ID!) { importJob(id: $id) { id status failure counts { deleted restored conflicts } } }';

/** Reads an undo job every half second until it ends. */
async function finished(id: string): Promise<UndoCounts> {
  for (;;) {
    const { importJob } = await gql<{ importJob: UndoCounts }>(UNDO_JOB, { id });
    if (isFinished(importJob.status)) return importJob;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * "Undo this import" on a finished import's page: the choice for rows changed since by other
 * jobs, a dry run first (what would be deleted, given back, and the conflicts), then the undo,
 * whose own page then opens. Not for a dry run, an undo job, or an import undone already.
 */
export function UndoImport({ job }: { job: Job }) {
  const [links, setLinks] = useState<{ undoes: { id: string } | null; undoneBy: { id: string } | null } | null>(null);
  const [open, setOpen] = useState(false);
  const [conflicts, setConflicts] = useState<Conflicts>('REFUSE');
  const [dry, setDry] = useState<UndoCounts | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    gql<{ importJob: typeof links }>('query ($id: ID!) { importJob(id: $id) { undoes { id } undoneBy { id } } }', { id: job.id })
      .then((data) => setLinks(data.importJob))
      .catch(() => setLinks(null));
  }, [job.id, job.status]);
  if (!links) return null;
  if (links.undoes) return <p class="links"><a href={href.job(links.undoes.id)}>{t('undo.undoes', { id: links.undoes.id })}</a></p>;
  if (links.undoneBy) return <p class="links"><a href={href.job(links.undoneBy.id)}>{t('undo.undoneBy', { id: links.undoneBy.id })}</a></p>;
  if (job.dryRun || !isFinished(job.status) || job.status === 'UNDONE') return null;

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const { undoImport } = await gql<{ undoImport: { id: string } }>(UNDO, { id: job.id, conflicts, dryRun });
      if (dryRun) setDry(await finished(undoImport.id));
      else navigate(href.job(undoImport.id));
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        {t('undo.open')}
      </button>
    );
  }
  return (
    <section aria-labelledby="undo-title" class="undo">
      <h3 id="undo-title">{t('undo.title')}</h3>
      <p>{t('undo.help')}</p>
      <fieldset>
        <legend>{t('undo.conflicts')}</legend>
        {CHOICES.map((choice) => (
          <div key={choice}>
            <input
              type="radio"
              id={`undo-${choice}`}
              name="undo-conflicts"
              value={choice}
              checked={conflicts === choice}
              onChange={() => {
                setConflicts(choice);
                setDry(null); // the dry run was for another choice
              }}
            />
            <label for={`undo-${choice}`}>{t(`undo.${choice}`)}</label>
          </div>
        ))}
      </fieldset>
      <button type="button" onClick={() => run(true)} disabled={busy}>
        {t('undo.dryRun')}
      </button>
      {dry && (
        <div role="status">
          <p>
            {t('undo.result', {
              deleted: formatNumber(dry.counts.deleted),
              restored: formatNumber(dry.counts.restored),
              conflicts: formatNumber(dry.counts.conflicts),
            })}{' '}
            <a href={href.job(dry.id)}>{t('undo.details', { id: dry.id })}</a>
          </p>
          {conflicts === 'REFUSE' && dry.counts.conflicts > 0 ? (
            <p>{t('undo.wouldRefuse')}</p>
          ) : dry.status === 'SUCCEEDED' ? (
            <button type="button" class="danger" onClick={() => run(false)} disabled={busy}>
              {t('undo.run')}
            </button>
          ) : (
            <p class="error-text">{dry.failure}</p>
          )}
        </div>
      )}
      {error && (
        <p class="error-text" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
