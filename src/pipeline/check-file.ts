import type { AnyAdapter } from '../adapters/define-adapter';
import { renderMessage } from '../i18n/messages';
import { IssueSeverity } from '../imports/enums';
import type { IssueData } from '../imports/issue-data';
import { readAll } from './csv-reader';
import { decode, detectEncoding, notTextReason, type TextEncoding } from './encoding';
import { looksLikeHeader, mapHeader, positionalMapping } from './header';
import { defaultDelimiters, delimiterName, detectDelimiter } from './sniff';

/** How much of a file the check step reads. */
export const CHECK_SAMPLE_BYTES = 64 * 1024;
export const PREVIEW_RECORDS = 10;

export interface FileCheck {
  encoding: TextEncoding;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  preview: string[][];
  problems: IssueData[];
}

const problem = (code: string, params: Record<string, string> = {}, line: number | null = null): IssueData => ({
  line,
  column: params.column ?? null,
  severity: IssueSeverity.ERROR,
  code,
  message: renderMessage(code, params, 'en'),
  params,
});

/**
 * Step 2 of the wizard, before anything is written: encoding, separator, header and
 * columns, a preview of the first records, and the file-level problems.
 */
export function checkFile(
  head: Buffer,
  options: {
    adapter: AnyAdapter;
    /** null: decide from the first record. */
    hasHeader: boolean | null;
    /** The head is the whole file. */
    complete: boolean;
    /** Whether the whole file is valid UTF-8. */
    utf8: boolean;
    maxRecordSize: number;
    columnMap?: Record<string, string>;
  },
): FileCheck {
  const { adapter } = options;
  const encoding = detectEncoding(head, options.utf8);
  let text = decode(head, encoding);
  const notText = notTextReason(head, text);
  const candidates = adapter.format?.delimiters ?? defaultDelimiters;
  if (notText) {
    return {
      encoding,
      delimiter: candidates[0],
      hasHeader: false,
      columns: [],
      preview: [],
      problems: [problem('NOT_TEXT', { detail: notText })],
    };
  }
  if (!options.complete) {
    // The sample ends inside a record: keep whole lines only.
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (lastBreak > 0) text = text.slice(0, lastBreak + 1);
  }
  const escape = adapter.format?.escape;
  const delimiter = detectDelimiter(text, candidates, adapter.columns.length, escape) ?? candidates[0];
  const items = readAll(text, { delimiter, escape, maxRecordSize: options.maxRecordSize });
  const records = items.flatMap((item) => (item.kind === 'record' ? [item] : []));
  if (records.length === 0) {
    const broken = items.find((item) => item.kind === 'problem');
    const found = broken
      ? problem('UNREADABLE_FILE', { delimiter: delimiterName(delimiter), detail: broken.detail }, broken.line)
      : problem('EMPTY_FILE');
    return { encoding, delimiter, hasHeader: false, columns: [], preview: [], problems: [found] };
  }
  const [first] = records;
  const hasHeader = options.hasHeader ?? looksLikeHeader(first.fields, adapter, options.columnMap);
  const problems: IssueData[] = [];
  let columns: string[];
  if (hasHeader) {
    const mapped = mapHeader(first.fields, adapter, { line: first.line, columnMap: options.columnMap });
    problems.push(...mapped.problems);
    columns = first.fields.slice(0, mapped.mapping.width).map((cell) => cell.trim());
  } else {
    columns = positionalMapping(adapter).names;
  }
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) problems.push(problem('EMPTY_FILE'));
  return {
    encoding,
    delimiter,
    hasHeader,
    columns,
    preview: body.slice(0, PREVIEW_RECORDS).map((record) => record.fields),
    problems,
  };
}
