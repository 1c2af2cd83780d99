import { useEffect, useState } from 'preact/hooks';
import { ApiError, download, gql, isFinished, JOB_FIELDS, uploadFile, type Adapter, type ImportFile, type Issue, type Job, type OnExisting } from './api';
import { DryRun } from './dry-run';
import { formatBytes, t, type MessageKey } from './i18n';
import { autoMatch, delimiterLabel, isHeaderless, isRecommended, onExistingLabel, sortAdapters } from './labels';
import { href, navigate } from './router';
import { ErrorSummary, PageHeading, Warnings } from './ui';

export const ADAPTER_FIELDS = 'name label description maxUploadBytes onExistingChoices defaultOnExisting enrollIfNeeded sync packageFiles columns { name label required description aliases }';

const stepKeys: MessageKey[] = ['step.1', 'step.2', 'step.3', 'step.4'];

/** The wizard's four steps, the current one marked for assistive technologies. */
export function Stepper({ current }: { current: 1 | 2 | 3 | 4 }) {
  return (
    <ol class="steps" aria-label={t('step.label')}>
      {stepKeys.map((key, i) => (
        <li key={key} aria-current={i + 1 === current ? 'step' : undefined} class={i + 1 < current ? 'done' : undefined}>
          <span class="num">{i + 1}</span> {t(key)}
        </li>
      ))}
    </ol>
  );
}

export function adapterTitle(adapter: Adapter): string {
  const key = `adapterTitle.${adapter.name}` as MessageKey;
  const known = t(key);
  return known === key ? adapter.label : known;
}

/** The file's header → the adapter column it feeds ('' = not imported). */
type Mapping = Record<string, string>;

export function Wizard() {
  const [adapters, setAdapters] = useState<Adapter[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [step, setStep] = useState<1 | 2 | 3>(1);
  const [adapterName, setAdapterName] = useState('lesson-stats');
  const [file, setFile] = useState<File | null>(null);
  const [hasHeader, setHasHeader] = useState(true);
  const [uploaded, setUploaded] = useState<ImportFile | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [allowMismatch, setAllowMismatch] = useState(false);

  useEffect(() => {
    gql<{ adapters: Adapter[] }>(`{ adapters { ${ADAPTER_FIELDS} } }`)
      .then(({ adapters }) => {
        const sorted = sortAdapters(adapters);
        setAdapters(sorted);
        if (!sorted.some((a) => a.name === adapterName)) setAdapterName(sorted[0]?.name ?? '');
      })
      .catch(setLoadError);
  }, []);

  if (loadError) return <ErrorSummary error={loadError} />;
  if (!adapters) return <p role="status">{t('app.loading')}</p>;
  const adapter = adapters.find((a) => a.name === adapterName)!;

  const reset = () => {
    setStep(1);
    setFile(null);
    setUploaded(null);
    setMapping({});
    setAllowMismatch(false);
  };

  if (step === 1 || !uploaded)
    return (
      <SelectFile
        adapters={adapters}
        adapter={adapter}
        onAdapter={(name) => {
          setAdapterName(name);
          setHasHeader(!isHeaderless(name));
        }}
        file={file}
        onFile={setFile}
        hasHeader={hasHeader}
        onHasHeader={setHasHeader}
        onUploaded={(result) => {
          setUploaded(result);
          setAllowMismatch(false);
          // The API's match of each column, and its fuzzy proposals preselected (shown as such).
          setMapping(Object.fromEntries(result.columns.map((column, i) => [column, result.hasHeader ? (result.columnProposals?.[i]?.column ?? autoMatch(column, adapter)) : column])));
          setStep(2);
        }}
      />
    );
  const options = { ...runOptions(uploaded, adapter, mapping), ...(allowMismatch ? { allowAdapterMismatch: true } : {}) };
  if (step === 2)
    return (
      <CheckFile
        adapter={adapter}
        file={uploaded}
        mapping={mapping}
        onMapping={setMapping}
        allowMismatch={allowMismatch}
        onAllowMismatch={setAllowMismatch}
        options={options}
        onBack={reset}
        onNext={() => setStep(3)}
      />
    );
  return <ImportOptions adapter={adapter} file={uploaded} options={options} onBack={() => setStep(2)} />;
}

/** The column the API reads a header cell as without columnMap (a saved mapping's included), or ''. */
function appliedColumn(file: ImportFile, adapter: Adapter, header: string): string {
  if (!file.columnProposals) return autoMatch(header, adapter);
  const proposal = file.columnProposals.find((p) => p.fileColumn === header.trim());
  return proposal?.applied ? (proposal.column ?? '') : '';
}

/** columnMap holds only the user's own choices (a fuzzy proposal kept included): what the API would not match by itself. */
function runOptions(file: ImportFile, adapter: Adapter, mapping: Mapping): Record<string, unknown> {
  if (!file.hasHeader) return {};
  const changed = Object.entries(mapping).filter(([header, column]) => column !== '' && column !== appliedColumn(file, adapter, header));
  return changed.length > 0 ? { columnMap: Object.fromEntries(changed) } : {};
}

interface SelectFileProps {
  adapters: Adapter[];
  adapter: Adapter;
  onAdapter(name: string): void;
  file: File | null;
  onFile(file: File | null): void;
  hasHeader: boolean;
  onHasHeader(value: boolean): void;
  onUploaded(file: ImportFile): void;
}

function SelectFile({ adapters, adapter, onAdapter, file, onFile, hasHeader, onHasHeader, onUploaded }: SelectFileProps) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);

  const next = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (!file) return setError(new ApiError(t('select.noFile'), 'NO_FILE'));
    if (file.size > adapter.maxUploadBytes) return setError(new ApiError(t('select.tooLarge', { size: formatBytes(adapter.maxUploadBytes) }), 'PAYLOAD_TOO_LARGE'));
    setBusy(true);
    try {
      onUploaded(await uploadFile(file, file.name, adapter.name, hasHeader));
    } catch (caught) {
      setError(caught as ApiError);
      setBusy(false);
    }
  };
  const choose = (chosen: File | null) => {
    setError(null);
    onFile(chosen);
  };
  const exampleFile = (event: Event) => {
    event.preventDefault();
    download(`/adapters/${encodeURIComponent(adapter.name)}/example.csv`, `${adapter.name}-example.csv`).catch(setError);
  };

  return (
    <form class="card" onSubmit={next} noValidate>
      <Stepper current={1} />
      <PageHeading>{t('select.title')}</PageHeading>
      <ErrorSummary error={error} />
      <fieldset>
        <legend>{t('select.type')}</legend>
        {adapters.map((a) => (
          <div class="choice" key={a.name}>
            <input type="radio" id={`adapter-${a.name}`} name="adapter" value={a.name} checked={a.name === adapter.name} onChange={() => onAdapter(a.name)} aria-describedby={`adapter-${a.name}-hint`} />
            <label for={`adapter-${a.name}`}>
              {adapterTitle(a)}
              {isRecommended(a) && ` ${t('select.recommended')}`}
            </label>
            <p class="hint" id={`adapter-${a.name}-hint`}>
              {a.description}
            </p>
          </div>
        ))}
      </fieldset>

      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const dropped = e.dataTransfer?.files?.[0];
          if (dropped) choose(dropped);
        }}
      >
        <label for="file">{t('select.drop')}</label>
        <input id="file" type="file" accept={adapter.packageFiles.length > 0 ? '.zip,application/zip' : '.csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'} aria-describedby="file-hint file-chosen" onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)} />
        <p id="file-chosen" aria-live="polite">
          {file ? t('select.chosen', { name: file.name, size: formatBytes(file.size) }) : t('select.none')}
        </p>
      </div>
      <p class="hint" id="file-hint">
        {t('select.maxSize', { size: formatBytes(adapter.maxUploadBytes) })} {t('select.maxSizeNote')}
      </p>

      <div class="choice">
        <input type="checkbox" id="has-header" checked={hasHeader} onChange={(e) => onHasHeader(e.currentTarget.checked)} />
        <label for="has-header">{t('select.hasHeader')}</label>
      </div>

      <p>
        <a href={`/adapters/${encodeURIComponent(adapter.name)}/example.csv`} onClick={exampleFile}>
          {t('select.example')}
        </a>
      </p>
      <div class="actions">
        <button type="submit" disabled={busy} aria-describedby={busy ? 'upload-status' : undefined}>
          {t('action.next')}
        </button>
        {busy && (
          <span id="upload-status" role="status">
            {t('select.uploading')}
          </span>
        )}
      </div>
    </form>
  );
}

interface CheckFileProps {
  adapter: Adapter;
  file: ImportFile;
  mapping: Mapping;
  onMapping(mapping: Mapping): void;
  allowMismatch: boolean;
  onAllowMismatch(value: boolean): void;
  options: Record<string, unknown>;
  onBack(): void;
  onNext(): void;
}

/** Problems the API found with the file's own header, and what the user's matching leaves missing. */
function currentProblems(adapter: Adapter, file: ImportFile, mapping: Mapping, allowMismatch: boolean): Issue[] {
  if (allowMismatch) file = { ...file, problems: file.problems.filter((p) => p.code !== 'LIKELY_WRONG_ADAPTER') };
  if (!file.hasHeader) return file.problems;
  const changed = Object.entries(mapping).some(([header, column]) => column !== appliedColumn(file, adapter, header));
  if (!changed) return file.problems;
  // As the API judges a file the user mapped: its header again, and not another adapter's file.
  const headerCodes = ['MISSING_COLUMN', 'HEADER_NOT_RECOGNISED', 'UNKNOWN_COLUMN', 'DUPLICATE_COLUMN', 'LIKELY_WRONG_ADAPTER'];
  const used = Object.values(mapping);
  const missing: Issue[] = adapter.columns
    .filter((column) => column.required && !used.includes(column.name))
    .map((column) => ({ line: 1, column: column.name, severity: 'ERROR', code: 'MISSING_COLUMN', message: t('check.missing', { column: column.name }) }));
  return [...file.problems.filter((p) => !headerCodes.includes(p.code)), ...missing];
}

function CheckFile({ adapter, file, mapping, onMapping, allowMismatch, onAllowMismatch, options, onBack, onNext }: CheckFileProps) {
  const problems = currentProblems(adapter, file, mapping, allowMismatch);
  const mismatch = file.problems.some((p) => p.code === 'LIKELY_WRONG_ADAPTER');
  const errors = problems.filter((p) => p.severity === 'ERROR');
  const warnings = problems.filter((p) => p.severity === 'WARNING');
  const [dryRun, setDryRun] = useState<Job | null>(null);
  const [dryRunError, setDryRunError] = useState<ApiError | null>(null);
  const columnLabel = (name: string) => adapter.columns.find((c) => c.name === name)?.label ?? name;

  const startDryRun = async () => {
    setDryRunError(null);
    try {
      const { runImport } = await gql<{ runImport: Job }>(`mutation ($input: RunImportInput!) { runImport(input: $input) { ${JOB_FIELDS} } }`, {
        input: { fileId: file.id, dryRun: true, options },
      });
      setDryRun(runImport);
    } catch (caught) {
      setDryRunError(caught as ApiError);
    }
  };

  return (
    <div class="card">
      <Stepper current={2} />
      <PageHeading>{t('check.title')}</PageHeading>
      <ErrorSummary title={t('check.problems')} problems={errors} />
      {mismatch && (
        <div class="choice">
          <input type="checkbox" id="allow-mismatch" checked={allowMismatch} onChange={(e) => onAllowMismatch(e.currentTarget.checked)} />
          <label for="allow-mismatch">{t('check.allowMismatch', { type: adapterTitle(adapter) })}</label>
        </div>
      )}
      <dl class="facts">
        <dt>{t('check.file')}</dt>
        <dd>
          {file.fileName} ({formatBytes(file.size)})
        </dd>
        <dt>{t('check.encoding')}</dt>
        <dd>{file.encoding}</dd>
        <dt>{t('check.delimiter')}</dt>
        <dd>{delimiterLabel(file.delimiter)}</dd>
        <dt>{t('check.header')}</dt>
        <dd>{file.hasHeader ? t('common.yes') : t('common.no')}</dd>
      </dl>
      <Warnings problems={warnings} />

      {file.members ? (
        <PackageMembers members={file.members} />
      ) : (
        <>
          {file.hasHeader ? (
            <fieldset>
              <legend>{t('check.mapping')}</legend>
              <p class="hint">{t('check.mappingHint')}</p>
              <div class="mapping">
                {file.columns.map((header, i) => {
                  const automatic = appliedColumn(file, adapter, header);
                  const proposal = file.columnProposals?.[i];
                  const fuzzy = proposal?.reason === 'FUZZY' && mapping[header] === proposal.column;
                  return (
                    <div key={i}>
                      <label for={`map-${i}`}>{t('check.fileColumn', { name: header || `#${i + 1}` })}</label>
                      {fuzzy && (
                        <p class="hint" id={`map-${i}-hint`}>
                          {t('check.fuzzy', { percent: Math.round(proposal.confidence * 100) })}
                        </p>
                      )}
                      <select id={`map-${i}`} aria-describedby={fuzzy ? `map-${i}-hint` : undefined} value={mapping[header] ?? ''} onChange={(e) => onMapping({ ...mapping, [header]: e.currentTarget.value })}>
                        <option value="" disabled={automatic !== ''}>
                          {t('check.notImported')}
                        </option>
                        {adapter.columns.map((column) => (
                          <option key={column.name} value={column.name}>
                            {column.name} — {column.label}
                            {column.required ? ` (${t('check.required')})` : ''}
                          </option>
                        ))}
                      </select>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ) : (
            <p>{t('check.noHeader')}</p>
          )}

          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="preview-caption">
            <table class="preview">
              <caption id="preview-caption">{t('check.preview', { count: file.preview.length })}</caption>
              <thead>
                <tr>
                  {file.columns.map((header, i) => (
                    <th scope="col" key={i}>
                      {header}
                      {file.hasHeader && mapping[header] && mapping[header] !== header && <span class="mapped"> → {columnLabel(mapping[header])}</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {file.preview.map((row, r) => (
                  <tr key={r}>
                    {file.columns.map((_, c) => (
                      <td key={c}>{row[c] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <section aria-labelledby="dry-run-title" class="dry-run">
        <h3 id="dry-run-title">{t('dryRun.title')}</h3>
        <p class="hint">{t('dryRun.hint')}</p>
        <ErrorSummary error={dryRunError} />
        {dryRun ? <DryRun job={dryRun} /> : null}
        <button type="button" class="secondary" onClick={startDryRun} disabled={errors.length > 0 || Boolean(dryRun && !isFinished(dryRun.status))}>
          {dryRun ? t('dryRun.again') : t('dryRun.start')}
        </button>
      </section>

      <div class="actions">
        <button type="button" class="secondary" onClick={onBack}>
          {t('action.back')}
        </button>
        <button type="button" onClick={onNext} disabled={errors.length > 0}>
          {t('action.next')}
        </button>
      </div>
    </div>
  );
}

/** A package (a zip): its member files, each checked as a CSV file of its own (no column matching). */
function PackageMembers({ members }: { members: NonNullable<ImportFile['members']> }) {
  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title">{t('check.members')}</h3>
      <ul class="members">
        {members.map((member) => (
          <li key={member.file}>
            <code>{member.file}</code> — {formatBytes(member.size)}, {t('check.memberColumns', { count: member.columns.length })}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ImportOptions({ adapter, file, options, onBack }: { adapter: Adapter; file: ImportFile; options: Record<string, unknown>; onBack(): void }) {
  const [onExisting, setOnExisting] = useState<OnExisting>(adapter.defaultOnExisting);
  const [enroll, setEnroll] = useState(false);
  const [allowDuplicate, setAllowDuplicate] = useState(false);
  const [snapshot, setSnapshot] = useState(false);
  const [dataSet, setDataSet] = useState('');
  const [threshold, setThreshold] = useState('10');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const { runImport } = await gql<{ runImport: Job }>('mutation ($input: RunImportInput!) { runImport(input: $input) { id } }', {
        input: {
          fileId: file.id,
          onExisting,
          ...(adapter.enrollIfNeeded ? { enrollIfNeeded: enroll } : {}),
          ...(snapshot ? { mode: 'SNAPSHOT', dataSet: dataSet.trim(), changeThreshold: Number(threshold) } : {}),
          options: { ...options, ...(allowDuplicate ? { allowDuplicate: true } : {}) },
        },
      });
      navigate(href.import(runImport.id));
    } catch (caught) {
      setError(caught as ApiError);
      setBusy(false);
    }
  };
  const duplicate = error?.code === 'DUPLICATE_FILE' || allowDuplicate;

  return (
    <form class="card" onSubmit={run} noValidate>
      <Stepper current={3} />
      <PageHeading>{t('options.title')}</PageHeading>
      <ErrorSummary error={error} problems={error?.problems ?? []} />
      <p>
        {file.fileName} — {adapterTitle(adapter)}
      </p>
      <fieldset>
        <legend>{t(adapter.name.endsWith('-stats') ? 'options.onExistingStats' : 'options.onExistingRecords')}</legend>
        {adapter.onExistingChoices.map((choice) => (
          <div class="choice" key={choice}>
            <input type="radio" id={`on-existing-${choice}`} name="onExisting" value={choice} checked={onExisting === choice} onChange={() => setOnExisting(choice)} />
            <label for={`on-existing-${choice}`}>{onExistingLabel(choice, adapter.name)}</label>
          </div>
        ))}
      </fieldset>
      {adapter.enrollIfNeeded && (
        <div class="choice">
          <input type="checkbox" id="enroll" checked={enroll} onChange={(e) => setEnroll(e.currentTarget.checked)} aria-describedby="enroll-hint" />
          <label for="enroll">{t('options.enroll')}</label>
          <p class="hint" id="enroll-hint">
            {t('options.enrollHint')}
          </p>
        </div>
      )}
      {adapter.sync && (
        <fieldset>
          <legend>{t('options.syncTitle')}</legend>
          <div class="choice">
            <input type="checkbox" id="snapshot" checked={snapshot} onChange={(e) => setSnapshot(e.currentTarget.checked)} aria-describedby="snapshot-hint" />
            <label for="snapshot">{t('options.snapshot')}</label>
            <p class="hint" id="snapshot-hint">
              {t('options.snapshotHint')}
            </p>
          </div>
          {snapshot && (
            <>
              <div class="field">
                <label for="data-set">{t('options.dataSet')}</label>
                <input id="data-set" type="text" required maxLength={100} pattern="[A-Za-z0-9._\-]+" value={dataSet} onInput={(e) => setDataSet(e.currentTarget.value)} aria-describedby="data-set-hint" />
                <p class="hint" id="data-set-hint">
                  {t('options.dataSetHint')}
                </p>
              </div>
              <div class="field">
                <label for="change-threshold">{t('options.changeThreshold')}</label>
                <input id="change-threshold" type="number" min={1} max={100} step={1} required value={threshold} onInput={(e) => setThreshold(e.currentTarget.value)} aria-describedby="change-threshold-hint" />
                <p class="hint" id="change-threshold-hint">
                  {t('options.changeThresholdHint')}
                </p>
              </div>
            </>
          )}
        </fieldset>
      )}
      {duplicate && (
        <div class="choice">
          <input type="checkbox" id="allow-duplicate" checked={allowDuplicate} onChange={(e) => setAllowDuplicate(e.currentTarget.checked)} />
          <label for="allow-duplicate">{t('options.allowDuplicate')}</label>
        </div>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={onBack}>
          {t('action.back')}
        </button>
        <button type="submit" disabled={busy}>
          {t('options.run')}
        </button>
      </div>
    </form>
  );
}
