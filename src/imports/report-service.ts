import { notAPart } from '../pipeline/partitions';
import fs from 'node:fs';
import { In, LessThan, MoreThan, type FindOptionsWhere } from 'typeorm';
import type { AdapterRegistry } from '../adapters/registry';
import type { Store } from '../db/store';
import { decodeCursor, encodeCursor, toPage, type Page } from '../graphql/connection';
import { localize, type Language } from '../i18n/localized';
import { renderMessage } from '../i18n/messages';
import { ImportMode, ImportOutcome, ImportStatus, type IssueSeverity } from './enums';
import { readItems } from '../pipeline/read-items';
import type { FileStore } from './file-store';
import { ImportFile } from './import-file.entity';
import { ImportIssue } from './import-issue.entity';
import { ImportJob, counterNames, undoCounterNames } from './import-job.entity';
import type { IssueData } from './issue-data';

const counterLabels: Record<(typeof counterNames)[number], { en: string; fr: string }> = {
  processed: { en: 'Records processed', fr: 'Enregistrements traités' },
  rejected: { en: 'Records rejected', fr: 'Enregistrements rejetés' },
  added: { en: 'Added', fr: 'Ajoutés' },
  updated: { en: 'Updated', fr: 'Mis à jour' },
  unchanged: { en: 'Unchanged', fr: 'Inchangés' },
  errors: { en: 'Errors', fr: 'Erreurs' },
  warnings: { en: 'Warnings', fr: 'Avertissements' },
};

const statusLabels: Record<ImportStatus, { en: string; fr: string }> = {
  PENDING: { en: 'PENDING', fr: 'EN ATTENTE (PENDING)' },
  RUNNING: { en: 'RUNNING', fr: 'EN COURS (RUNNING)' },
  SUCCEEDED: { en: 'SUCCEEDED', fr: 'TERMINÉ (SUCCEEDED)' },
  FAILED: { en: 'FAILED', fr: 'ÉCHEC (FAILED)' },
  CANCELLED: { en: 'CANCELLED', fr: 'ANNULÉ (CANCELLED)' },
  UNDONE: { en: 'UNDONE', fr: 'DÉFAIT (UNDONE)' },
};

const undoCounterLabels: Record<(typeof undoCounterNames)[number], { en: string; fr: string }> = {
  processed: { en: 'Rows processed', fr: 'Lignes traitées' },
  deleted: { en: 'Deleted', fr: 'Supprimées' },
  restored: { en: 'Restored', fr: 'Rétablies' },
  conflicts: { en: 'Conflicts', fr: 'Conflits' },
  unchanged: { en: 'Left unchanged', fr: 'Laissées inchangées' },
  errors: { en: 'Errors', fr: 'Erreurs' },
  warnings: { en: 'Warnings', fr: 'Avertissements' },
};

const syncLabels = {
  dataSet: { en: 'Data set', fr: 'Jeu de données' },
  retired: { en: 'Retired (not in the file)', fr: 'Retirées (absentes du fichier)' },
  exceeded: { en: 'none applied: CHANGE_THRESHOLD_EXCEEDED', fr: 'aucune appliquée : CHANGE_THRESHOLD_EXCEEDED' },
  restored: { en: 'Back from an earlier retirement', fr: "De retour d'un retrait précédent" },
};

const cancelledNote = {
  en: 'the import was stopped before the end of the file; the counts are those of the records done until then (resumeImport goes on from there)',
  fr: "l'import a été arrêté avant la fin du fichier ; les compteurs sont ceux des enregistrements traités jusque-là (resumeImport reprend à partir de là)",
};

const outcomeLabels: Record<ImportOutcome, { en: string; fr: string }> = {
  CLEAN: { en: 'CLEAN (no record rejected)', fr: 'CLEAN (aucun enregistrement rejeté)' },
  WITH_REJECTS: { en: 'WITH_REJECTS (some records were rejected: see the rejects file)', fr: 'WITH_REJECTS (des enregistrements ont été rejetés : voir le fichier des rejets)' },
  NOTHING_IMPORTED: { en: 'NOTHING_IMPORTED (no record was imported)', fr: "NOTHING_IMPORTED (aucun enregistrement n'a été importé)" },
};

const clamp = (value: number | null | undefined, fallback: number, max: number) =>
  Math.max(0, Math.min(max, value ?? fallback));

/** Reads what imports produced: job lists, issues, the log and the rejects file. */
export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly registry: AdapterRegistry,
    private readonly files: FileStore,
  ) {}

  /** An issue's message in a language (stored in English; other languages rendered from code and params). */
  message(issue: IssueData, lang: Language): string {
    if (lang === 'en') return issue.message;
    const adapterMessages = Object.assign({}, ...this.registry.withMembers().map((adapter) => adapter.messages ?? {}));
    return renderMessage(issue.code, { column: issue.column ?? '', ...(issue.params ?? {}) }, lang, adapterMessages);
  }

  /** Newest first. */
  async jobs(args: { first?: number | null; after?: string | null; adapter?: string | null; status?: ImportStatus | null; dataSet?: string | null }): Promise<Page<ImportJob>> {
    const first = clamp(args.first, 20, 500);
    // The parts of a split import are not listed: their job is.
    const filter: FindOptionsWhere<ImportJob> = { ...notAPart };
    if (args.adapter) filter.adapter = args.adapter;
    if (args.status) filter.status = args.status;
    if (args.dataSet) filter.dataSet = args.dataSet;
    const after = args.after ? decodeCursor(args.after) : null;
    return this.store.read(async (m) => {
      const rows = await m.find(ImportJob, {
        where: after === null ? filter : { ...filter, id: LessThan(after) },
        order: { id: 'DESC' },
        take: first + 1,
      });
      return toPage(rows, first, await m.count(ImportJob, { where: filter }));
    });
  }

  /** In file order. */
  async issues(jobId: number, args: { first?: number | null; after?: string | null; severity?: IssueSeverity | null }): Promise<Page<ImportIssue>> {
    const first = clamp(args.first, 100, 1000);
    const filter: FindOptionsWhere<ImportIssue> = { jobId };
    if (args.severity) filter.severity = args.severity;
    const after = args.after ? decodeCursor(args.after) : null;
    return this.store.read(async (m) => {
      const rows = await m.find(ImportIssue, {
        where: after === null ? filter : { ...filter, id: MoreThan(after) },
        order: { id: 'ASC' },
        take: first + 1,
      });
      return toPage(rows, first, await m.count(ImportIssue, { where: filter }));
    });
  }

  /**
   * The log, a line at a time: a cancelled or failed job says so first; one line per issue
   * (line, column, severity, code, message); then the counters, the status and the outcome.
   */
  async *logLines(job: ImportJob, lang: Language): AsyncGenerator<string> {
    const status = localize(statusLabels[job.status], lang);
    const stopped = job.status === ImportStatus.CANCELLED ? localize(cancelledNote, lang) : job.status === ImportStatus.FAILED ? job.failure : null;
    if (stopped !== null) yield `${status}: ${stopped}\n\n`;
    const heading = lang === 'fr' ? 'ligne\tcolonne\tgravité\tcode\tmessage' : 'line\tcolumn\tseverity\tcode\tmessage';
    yield `${heading}\n`;
    let after: number | null = null;
    for (;;) {
      const page: Page<ImportIssue> = await this.issues(job.id, {
        first: 1000,
        after: after === null ? null : encodeCursor(after),
      });
      for (const { node } of page.edges) {
        yield `${node.file ? `${node.file}:` : ''}${node.line ?? ''}\t${node.column ?? ''}\t${node.severity}\t${node.code}\t${this.message(node, lang).replace(/[\r\n\t]+/g, ' ')}\n`;
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.edges.at(-1)!.node.id;
    }
    yield '\n';
    if (job.undoesJobId !== null) {
      yield `${lang === 'fr' ? 'Annulation du job' : 'Undo of job'}: ${job.undoesJobId}${job.dryRun ? (lang === 'fr' ? ' (essai)' : ' (dry run)') : ''}\n`;
      for (const name of undoCounterNames) yield `${localize(undoCounterLabels[name], lang)}: ${job[name]}\n`;
    } else for (const name of counterNames) yield `${localize(counterLabels[name], lang)}: ${job[name]}\n`;
    if (job.mode === ImportMode.SNAPSHOT) {
      yield `${localize(syncLabels.dataSet, lang)}: ${job.dataSet} (SNAPSHOT, changeThreshold ${job.changeThreshold}%)\n`;
      yield `${localize(syncLabels.retired, lang)}: ${job.retired}${job.syncPhase === 'EXCEEDED' ? ` (${localize(syncLabels.exceeded, lang)})` : ''}\n`;
      yield `${localize(syncLabels.restored, lang)}: ${job.restored}\n`;
    }
    yield `${lang === 'fr' ? 'Statut' : 'Status'}: ${stopped === null ? status : `${status}: ${stopped}`}\n`;
    if (job.outcome) yield `${lang === 'fr' ? 'Résultat' : 'Outcome'}: ${localize(outcomeLabels[job.outcome], lang)}\n`;
  }

  async logText(job: ImportJob, lang: Language): Promise<string> {
    const lines: string[] = [];
    for await (const line of this.logLines(job, lang)) lines.push(line);
    return lines.join('');
  }

  /** `member`: a package import's member file (each has its rejects file). */
  rejectsPath(job: ImportJob, member?: string): string | null {
    const file = this.files.rejectsPath(job.id, member);
    return fs.existsSync(file) ? file : null;
  }

  /** A package import's rejects files, by member file, in import order; [] for a plain import. */
  async memberRejects(job: ImportJob): Promise<Array<{ file: string; path: string }>> {
    const file = await this.store.read((m) => m.findOneBy(ImportFile, { id: job.fileId }));
    return (file?.members ?? []).flatMap((member) => {
      const found = this.rejectsPath(job, member.file);
      return found ? [{ file: member.file, path: found }] : [];
    });
  }

  /**
   * The rejected records, a page at a time: each as the rejects file has it (its fields), with
   * the line it had in the imported file and its issues. The rejects file holds the rejected
   * records in file order, and each carries at least one ERROR (and an ERROR always rejects):
   * the n-th record of the file is the n-th line, in order, of the job's ERROR issues.
   */
  async rejectedRecords(
    job: ImportJob,
    args: { first?: number | null; after?: string | null },
  ): Promise<Page<{ line: number | null; fields: string[]; issues: ImportIssue[] }> & { header: string[] | null }> {
    const first = clamp(args.first, 100, 500);
    const start = args.after ? (decodeCursor(args.after) ?? 0) : 0;
    const file = await this.store.read((m) => m.findOneByOrFail(ImportFile, { id: job.fileId }));
    // The header row is written first when the job read one (given, or recognised and skipped).
    const hadHeader = file.hasHeader || file.problems.some((problem) => problem.code === 'HEADER_SKIPPED');
    const { header, records } = await this.rejectsPage(job, file.delimiter, hadHeader, start, first);
    return this.store.read(async (m) => {
      const lines: Array<{ line: number | null }> = await m
        .createQueryBuilder(ImportIssue, 'issue')
        .select('issue.line', 'line')
        .where('issue.jobId = :jobId AND issue.severity = :severity AND issue.line IS NOT NULL', { jobId: job.id, severity: 'ERROR' })
        .groupBy('issue.line')
        .orderBy('issue.line', 'ASC')
        .offset(start)
        .limit(first)
        .getRawMany();
      const pageLines = lines.map((row) => Number(row.line));
      const issues = pageLines.length > 0 ? await m.find(ImportIssue, { where: { jobId: job.id, line: In(pageLines) }, order: { id: 'ASC' } }) : [];
      const page = records.map((fields, i) => {
        const line = pageLines[i] ?? null;
        return { line, fields, issues: issues.filter((issue) => line !== null && issue.line === line) };
      });
      const edges = page.map((node, i) => ({ cursor: encodeCursor(start + i + 1), node }));
      return {
        edges,
        // The rejects file holds every rejected record, and only those.
        pageInfo: { hasNextPage: start + first < job.rejected, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: job.rejected,
        header,
      };
    });
  }

  /**
   * Records `start` to `start + count` of the rejects file, read as a stream up to them (memory
   * does not grow with the file). It was written with csv-stringify in the input's separator; a
   * record that did not parse at import was written as it was, and reads back as one field if it
   * still does not.
   */
  private async rejectsPage(job: ImportJob, delimiter: string, hadHeader: boolean, start: number, count: number) {
    let header: string[] | null = null;
    const records: string[][] = [];
    const file = this.rejectsPath(job);
    if (!file) return { header, records };
    let index = hadHeader ? -1 : 0;
    // A record rejected for its length was kept whole: the reader takes any length here.
    for await (const items of readItems(file, 'utf-8', { delimiter, maxRecordSize: Number.MAX_SAFE_INTEGER })) {
      for (const item of items) {
        const fields = item.kind === 'record' ? item.fields : [item.raw.replace(/[\r\n]+$/, '')];
        if (index === -1) header = fields;
        else if (index >= start) records.push(fields);
        if (++index >= start + count) return { header, records };
      }
    }
    return { header, records };
  }

  /** The rejects file as text (without its BOM), or '' when nothing was rejected. */
  async rejectsCsv(job: ImportJob): Promise<string> {
    const file = this.rejectsPath(job);
    if (!file) return '';
    const text = await fs.promises.readFile(file, 'utf8');
    return text.replace(/^\uFEFF/, '');
  }
}
