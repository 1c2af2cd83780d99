// lesson-stats under another name, each batch held back PACE_MS (default 250 ms): an import that
// takes long enough for a browser to reload in the middle of it, whatever the machine's speed.
// Loaded with LMS_IMPORT_PLUGINS by the second service of global-setup.ts only (plain JS: the
// service runs from dist/).
const lessonStats = require('../dist/plugins/lesson-stats').default;

const pace = Number(process.env.PACE_MS ?? 250);

module.exports = {
  ...lessonStats,
  name: 'slow-lesson-stats',
  label: { en: 'Lesson statistics, paced (UI tests)', fr: 'Statistiques de leçons, au ralenti (tests UI)' },
  async persist(rows, context) {
    await new Promise((resolve) => setTimeout(resolve, pace));
    return lessonStats.persist(rows, context);
  },
};
