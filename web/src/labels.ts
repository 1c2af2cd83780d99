import type { Adapter, ImportStatus, OnExisting } from './api';
import { t, type MessageKey } from './i18n';
import { normalizeHeaderName } from '../../src/pipeline/header-name';

/** The seed's order of the import types: lesson statistics (recommended) first. */
const order = ['lesson-stats', 'course-stats', 'blackboard-enrollment', 'moodle-enrolment', 'canvas-enrollments', 'learners', 'catalog'];
export const sortAdapters = (adapters: Adapter[]) =>
  [...adapters].sort((a, b) => (order.indexOf(a.name) + 1 || 99) - (order.indexOf(b.name) + 1 || 99));

/** Formats written without a header row: the wizard's "header on first line" starts unticked. */
export const isHeaderless = (adapter: string) => adapter === 'blackboard-enrollment' || adapter === 'moodle-enrolment';

export const isRecommended = (adapter: Adapter) => adapter.name === 'lesson-stats';

/** Statistics adapters speak of statuses (the seed's wording); the others of records. */
export const isStatistics = (adapter: { name: string } | string) => /-stats$/.test(typeof adapter === 'string' ? adapter : adapter.name);

export function onExistingLabel(choice: OnExisting, adapter: string): string {
  const kind = isStatistics(adapter) ? 'stats' : 'records';
  return t(`onExisting.${kind}.${choice}` as MessageKey);
}

export const statusLabel = (status: ImportStatus) => t(`status.${status}` as MessageKey);

export function delimiterLabel(delimiter: string): string {
  const names: Record<string, MessageKey> = { ';': 'delimiter.semicolon', ',': 'delimiter.comma', '\t': 'delimiter.tab', ':': 'delimiter.colon', '|': 'delimiter.pipe' };
  const key = names[delimiter];
  return key ? t(key) : JSON.stringify(delimiter);
}


/** The adapter column a file header names by itself (name, alias or label), or ''. */
export function autoMatch(header: string, adapter: Adapter): string {
  const wanted = normalizeHeaderName(header);
  const byName = adapter.columns.find((c) => [c.name, ...c.aliases].some((n) => normalizeHeaderName(n) === wanted));
  if (byName) return byName.name;
  return adapter.columns.find((c) => normalizeHeaderName(c.label) === wanted)?.name ?? '';
}
