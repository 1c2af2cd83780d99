import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';

/**
 * The benchmark's synthetic data: learners, a catalog and lesson statistics, all derived from
 * the row number so that the CSV the service imports and the pre-resolved rows the floor loads
 * are the same rows without keeping either in memory.
 *
 * Shape at 1M rows: 20,000 learners, 200 courses of 10 items; each learner has 50 rows, the 10
 * items of 5 courses (so enrollIfNeeded creates 100,000 enrollments). Smaller runs scale learners
 * and courses down proportionally (at least 5 courses), keeping 50 rows a learner, so that 10k,
 * 100k and 1M runs differ by size only. Rows cycle through the learners: consecutive rows belong
 * to different learners, as in an export sorted by date, which is the hard case for per-batch
 * look-ups (a 1,000-row batch names 1,000 learners).
 */

export interface Shape {
  rows: number;
  learners: number;
  courses: number;
  itemsPerCourse: number;
}

/** The shape of N rows; `fixed` holds learners or courses whatever N (memory by file size alone). */
export function shapeFor(rows: number, fixed: { learners?: number | null; courses?: number | null } = {}): Shape {
  const scale = rows / 1_000_000;
  return {
    rows,
    learners: fixed.learners ?? Math.max(1, Math.round(20_000 * scale)),
    courses: fixed.courses ?? Math.max(5, Math.round(200 * scale)),
    itemsPerCourse: 10,
  };
}

const ITEM_TYPES = ['L', 'A', 'W', 'T', 'E'] as const;
const STATUSES = ['C', 'P', 'F', 'I', 'N'] as const;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2023, 0, 1);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

export const learnerLogin = (learner: number) => `learner${pad(learner, 6)}`;
export const courseCode = (course: number) => `course_${pad(course, 4)}`;
/** GUID-like, as LMS exports write item identifiers: {1B38F003-16A9-4432-AB}. */
export const itemCode = (course: number, item: number) => `{${hex(course, 8)}-${hex(item, 4)}-4432-AB}`;
export const itemType = (item: number) => ITEM_TYPES[item % ITEM_TYPES.length];

/** One lesson-statistics row, both as the file writes it and as the database stores it. */
export interface LessonRow {
  learner: number;
  course: number;
  item: number;
  session: number;
  status: string;
  /** As written in the file (three formats, some empty). */
  dateText: string;
  /** `YYYY-MM-DD`, or null when the file leaves it empty (the import's date). */
  dateIso: string | null;
  scoreText: string;
  score: number | null;
  timeText: string;
  seconds: number | null;
  ilt: string;
}

export function lessonRow(shape: Shape, r: number): LessonRow {
  const learner = r % shape.learners;
  const k = Math.floor(r / shape.learners);
  const perLearner = shape.courses * shape.itemsPerCourse;
  const slot = k % perLearner;
  const course = (learner * 7 + Math.floor(slot / shape.itemsPerCourse)) % shape.courses;
  const item = slot % shape.itemsPerCourse;
  const day = new Date(FIRST_DAY + (r % 700) * DAY_MS);
  const [y, m, d] = [day.getUTCFullYear(), pad(day.getUTCMonth() + 1), pad(day.getUTCDate())];
  const format = r % 50 === 0 ? 3 : r % 3;
  const dateText = [`${y}-${m}-${d}`, `${d}/${m}/${y}`, `${y}/${m}/${d}`, ''][format];
  const scored = r % 4 !== 0;
  const whole = (r * 37) % 100;
  const half = r % 2 === 0;
  const seconds = r % 10 === 0 ? null : (r * 13) % 7200;
  const clock = seconds !== null && r % 3 === 0;
  return {
    learner,
    course,
    item,
    session: Math.floor(k / perLearner) + 1,
    status: STATUSES[(r * 3) % STATUSES.length],
    dateText,
    dateIso: dateText === '' ? null : `${y}-${m}-${d}`,
    scoreText: scored ? `${whole}${half ? ',5' : ''}` : '',
    score: scored ? whole + (half ? 0.5 : 0) : null,
    timeText: seconds === null ? '' : clock ? `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}` : String(seconds),
    seconds,
    ilt: itemType(item) === 'T' && r % 2 === 0 ? 'P' : '',
  };
}

/** Writes lines through a buffer: 1M rows as one string would not fit comfortably, one write a row is slow. */
async function writeLines(file: string, count: number, line: (i: number) => string, header?: string): Promise<void> {
  const out = fs.createWriteStream(file);
  let buffer = header === undefined ? '' : `${header}\n`;
  for (let i = 0; i < count; i++) {
    buffer += `${line(i)}\n`;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

export interface DatasetFiles {
  learners: string;
  catalog: string;
  lessonStats: string;
}

/** The three files the service imports, `;`-separated with a header row. */
export async function writeDataset(shape: Shape, dir: string): Promise<DatasetFiles> {
  const files = {
    learners: path.join(dir, 'learners.csv'),
    catalog: path.join(dir, 'catalog.csv'),
    lessonStats: path.join(dir, 'lesson-stats.csv'),
  };
  await writeLines(
    files.learners,
    shape.learners,
    (l) => `${learnerLogin(l)};First${l};Last${l};${learnerLogin(l)}@example.com;Y`,
    'user_loginid;firstname;lastname;email;available',
  );
  const perCourse = shape.itemsPerCourse + 1;
  await writeLines(
    files.catalog,
    shape.courses * perCourse,
    (i) => {
      const course = Math.floor(i / perCourse);
      const item = (i % perCourse) - 1;
      if (item < 0) return `${courseCode(course)};Course ${course};;;;course`;
      return `${courseCode(course)};;${itemCode(course, item)};${itemType(item)};Item ${item} of course ${course};`;
    },
    'crsvname;course_title;lsnvname;lnk_type;lesson_title;course_kind',
  );
  await writeLines(
    files.lessonStats,
    shape.rows,
    (r) => {
      const row = lessonRow(shape, r);
      return [
        learnerLogin(row.learner),
        courseCode(row.course),
        itemCode(row.course, row.item),
        itemType(row.item),
        row.status,
        row.dateText,
        row.scoreText,
        row.timeText,
        row.ilt,
      ].join(';');
    },
    'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status',
  );
  return files;
}

/** Database ids of the reference data, as the service created them. */
export interface ReferenceIds {
  learnerId(learner: number): number;
  itemId(course: number, item: number): number;
}

/** The columns the floor loads, in this order; null as `\N` in the TSV. */
export const FLOOR_COLUMNS = [
  'learner_id',
  'item_id',
  'session',
  'status',
  'status_date',
  'score',
  'time_spent',
  'ilt_status',
  'created_job_id',
] as const;

/** A row with its references resolved, as the lesson_statistics table stores it. */
export function resolvedRow(shape: Shape, ids: ReferenceIds, r: number, importDate: string, jobId: number): (string | number | null)[] {
  const row = lessonRow(shape, r);
  return [
    ids.learnerId(row.learner),
    ids.itemId(row.course, row.item),
    row.session,
    row.status,
    row.dateIso ?? importDate,
    row.score,
    row.seconds,
    row.ilt === '' ? null : row.ilt,
    jobId,
  ];
}

/** The resolved rows as a LOAD DATA file: tab-separated, `\N` for NULL. */
export async function writeResolvedTsv(shape: Shape, ids: ReferenceIds, file: string, importDate: string, jobId: number): Promise<void> {
  await writeLines(file, shape.rows, (r) => resolvedRow(shape, ids, r, importDate, jobId).map((v) => (v === null ? '\\N' : v)).join('\t'));
}

/**
 * The lesson statistics as an Excel workbook, one sheet, written as a spreadsheet holds them:
 * dates as date cells (the text's three forms are one date), scores and seconds as numbers, the
 * `hh:mm:ss` durations as text. Streamed (exceljs's WorkbookWriter, shared strings as Excel
 * writes them): 1M rows never sit in memory.
 */
export async function writeLessonStatsXlsx(shape: Shape, dir: string): Promise<string> {
  const file = path.join(dir, 'lesson-stats.xlsx');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = book.addWorksheet('Lesson statistics');
  sheet.addRow(['user_loginid', 'crsvname', 'lsnvname', 'lnk_type', 'lesson_status', 'lesson_status_date', 'lesson_score', 'lesson_time', 'ilt_status']).commit();
  for (let r = 0; r < shape.rows; r++) {
    const row = lessonRow(shape, r);
    const date = row.dateIso === null ? null : new Date(`${row.dateIso}T00:00:00Z`);
    const time = row.seconds === null ? null : row.timeText.includes(':') ? row.timeText : row.seconds;
    const cells = sheet.addRow([learnerLogin(row.learner), courseCode(row.course), itemCode(row.course, row.item), itemType(row.item), row.status, date, row.score, time, row.ilt || null]);
    if (date) cells.getCell(6).numFmt = 'dd/mm/yyyy';
    cells.commit();
    // Let the zip stream drain now and then.
    if (r % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await book.commit();
  return file;
}
