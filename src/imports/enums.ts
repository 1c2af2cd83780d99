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
