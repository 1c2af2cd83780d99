import { slowLearners } from './test-adapters';

/** slow-learners for a child server (LMS_IMPORT_PLUGINS): each batch takes SLOW_BATCH_MS longer. */
export default slowLearners(() => Number(process.env.SLOW_BATCH_MS ?? 50));
