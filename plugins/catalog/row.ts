import { z } from 'zod';
import { code, required, text } from '../../src/adapters/fields';
import { itemTypes, type CodeEntry, type CourseKind } from '../../src/model/codes';

/** Course kinds with their labels; lower-case, as the database stores them. */
export const courseKindCodes = [
  { code: 'course', label: { en: 'Course', fr: 'Cours' } },
  { code: 'organization', label: { en: 'Organization (Blackboard community)', fr: 'Organisation (communauté Blackboard)' } },
] as const satisfies readonly CodeEntry<CourseKind>[];

/** `course` or `organization`, any case; null when empty (fields.code only knows upper-case tables). */
function courseKind() {
  const allowed = courseKindCodes.map((entry) => entry.code);
  return z
    .string()
    .nullable()
    .transform((value, ctx): CourseKind | null => {
      if (value === null) return null;
      const kind = allowed.find((candidate) => candidate === value.toLowerCase());
      if (kind) return kind;
      ctx.addIssue({ code: 'custom', message: 'INVALID_CODE', params: { code: 'INVALID_CODE', value, allowed: allowed.join(', ') } });
      return z.NEVER;
    });
}

// Lengths are those of the courses and course_items columns.
export const rowSchema = z
  .object({
    crsvname: required(text({ max: 100 })),
    course_title: text({ max: 255 }),
    lsnvname: text({ max: 100 }),
    lnk_type: code(itemTypes),
    lesson_title: text({ max: 255 }),
    course_kind: courseKind(),
  })
  .superRefine((row, ctx) => {
    // Item values without an item identifier would be silently dropped: refuse the row.
    if (row.lsnvname !== null) return;
    const given = row.lnk_type !== null ? 'lnk_type' : row.lesson_title !== null ? 'lesson_title' : null;
    if (given === null) return;
    ctx.addIssue({ code: 'custom', path: ['lsnvname'], message: 'ITEM_ID_REQUIRED', params: { code: 'ITEM_ID_REQUIRED', given } });
  });

export type CatalogRow = z.output<typeof rowSchema>;
