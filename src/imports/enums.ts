import { registerEnumType } from 'type-graphql';

export enum ImportStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ImportStatus, { name: 'ImportStatus' });

export const finishedStatuses: readonly ImportStatus[] = [
  ImportStatus.SUCCEEDED,
  ImportStatus.FAILED,
  ImportStatus.CANCELLED,
];

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
