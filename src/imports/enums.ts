import { registerEnumType } from 'type-graphql';

export enum ImportStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  /** An import whose rows an undo job took back (undoImport); its undo job shows how. */
  UNDONE = 'UNDONE',
}
registerEnumType(ImportStatus, { name: 'ImportStatus' });

export const finishedStatuses: readonly ImportStatus[] = [
  ImportStatus.SUCCEEDED,
  ImportStatus.FAILED,
  ImportStatus.CANCELLED,
  ImportStatus.UNDONE,
];

/** What an undo does with a row changed since by another job (a conflict). */
export enum UndoConflicts {
  REFUSE = 'REFUSE',
  SKIP = 'SKIP',
  FORCE = 'FORCE',
}
registerEnumType(UndoConflicts, {
  name: 'UndoConflicts',
  description: 'What undoImport does when rows were changed since by another job',
  valuesConfig: {
    REFUSE: { description: 'Change nothing when there is a conflict; report every conflict' },
    SKIP: { description: 'Undo the rest; leave the conflicting rows as they are and report them' },
    FORCE: {
      description: 'Undo the changed rows too (overwriting the later changes, reported as warnings); a row others still reference, or a session followed by later ones, is never deleted',
    },
  },
});

/** How an import treats the rows of its data set that its file does not have. */
export enum ImportMode {
  MERGE = 'MERGE',
  SNAPSHOT = 'SNAPSHOT',
}
registerEnumType(ImportMode, {
  name: 'ImportMode',
  description: 'MERGE adds and updates; SNAPSHOT also retires the rows of its data set that the file no longer has',
  valuesConfig: {
    MERGE: { description: 'Add and update the rows of the file; leave the others as they are (default)' },
    SNAPSHOT: {
      description:
        'The file is the whole data set (dataSet): rows last written by its jobs that the file no longer has are retired — learners made unavailable, enrollments removed, courses and items made inactive — unless they exceed changeThreshold percent',
    },
  },
});

/** What a finished job came to, from its counters (outcomeOf); the status says how it ended. */
export enum ImportOutcome {
  CLEAN = 'CLEAN',
  WITH_REJECTS = 'WITH_REJECTS',
  NOTHING_IMPORTED = 'NOTHING_IMPORTED',
}
registerEnumType(ImportOutcome, {
  name: 'ImportOutcome',
  description: 'What a finished job came to (a dry run: what the import would come to); null until it finishes',
  valuesConfig: {
    CLEAN: { description: 'Records were imported (added, updated or already as in the file) and none was rejected' },
    WITH_REJECTS: { description: 'Records were imported and some were rejected (see rejectsCsv)' },
    NOTHING_IMPORTED: { description: 'No record was imported: every record was rejected, or there was none' },
  },
});

export enum OnExisting {
  NEW_SESSION = 'NEW_SESSION',
  REJECT = 'REJECT',
  UPDATE = 'UPDATE',
}
registerEnumType(OnExisting, {
  name: 'OnExisting',
  description: 'What happens to a row whose statistic, enrollment or record already exists',
  valuesConfig: {
    NEW_SESSION: { description: 'Create a new session (next session number)' },
    REJECT: { description: 'Reject the row' },
    UPDATE: { description: 'Update the existing (latest) record, keeping the previous values' },
  },
});

export enum IssueSeverity {
  ERROR = 'ERROR',
  WARNING = 'WARNING',
}
registerEnumType(IssueSeverity, { name: 'IssueSeverity' });

/** How the check step matched a file's column to an adapter column (ImportFile.columnProposals). */
export enum ColumnMatchReason {
  EXACT = 'EXACT',
  ALIAS = 'ALIAS',
  LABEL = 'LABEL',
  NORMALIZED = 'NORMALIZED',
  FUZZY = 'FUZZY',
  SAVED_MAPPING = 'SAVED_MAPPING',
  NONE = 'NONE',
}
registerEnumType(ColumnMatchReason, {
  name: 'ColumnMatchReason',
  description: 'Why a file column was matched to an adapter column',
  valuesConfig: {
    EXACT: { description: "The column's name, exactly" },
    ALIAS: { description: "One of the column's aliases (any case, accents, spaces and * ignored)" },
    LABEL: { description: "The column's English or French label (any case, accents, spaces and * ignored)" },
    NORMALIZED: { description: "The column's name in another case, with or without accents, spaces, quotes or *" },
    FUZZY: { description: 'A close spelling of its name, an alias or a label: a proposal only, not applied (confirm it with options.columnMap)' },
    SAVED_MAPPING: { description: 'The saved column mapping the upload matched (savedMapping)' },
    NONE: { description: 'No column: the file column is ignored (or it names a column an earlier one took)' },
  },
});
