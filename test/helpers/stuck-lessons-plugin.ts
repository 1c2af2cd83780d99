import fs from 'node:fs';
import lessonStats from '../../plugins/lesson-stats';
import { defineAdapter } from '../../src/adapters/define-adapter';

/**
 * lesson-stats under another name, for a child server (LMS_IMPORT_PLUGINS). With STUCK_AT_LINE
 * set, the batch holding that line (or the first after it) writes its rows, then never ends —
 * as a batch waiting on a lock or a hung database would — once it has written the file
 * STUCK_MARKER, so that the test knows it is stuck.
 */
const stuckAt = Number(process.env.STUCK_AT_LINE ?? 0);

export default defineAdapter({
  ...lessonStats,
  name: 'stuck-lesson-stats',
  async persist(rows, context) {
    await lessonStats.persist(rows, context);
    if (stuckAt > 0 && rows.some((planned) => planned.row.line >= stuckAt)) {
      fs.writeFileSync(process.env.STUCK_MARKER!, String(rows[0].row.line));
      await new Promise(() => {});
    }
  },
});
