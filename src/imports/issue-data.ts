import type { IssueSeverity } from './enums';

/** An issue as the pipeline and adapters produce it, before it is stored. */
export interface IssueData {
  /** A package import: the member file the line is in. */
  file?: string | null;
  line: number | null;
  column: string | null;
  severity: IssueSeverity;
  code: string;
  /** English message; the localized one is derived from code and params when read. */
  message: string;
  params?: Record<string, string | number> | null;
}
