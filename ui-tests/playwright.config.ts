import { defineConfig } from '@playwright/test';

/** The service under test: started by global-setup.ts on a fresh SQLite database, on this port. */
export const PORT = Number(process.env.UI_TEST_PORT ?? 4791);
/** A second service, with a paced copy of lesson statistics (slow-lesson-stats-plugin.js). */
export const SLOW_PORT = PORT + 1;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // One browser at a time: the machine is small, and the tests share one service.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  globalSetup: './global-setup.ts',
  outputDir: '../test-results',
  reporter: [['list'], ['json', { outputFile: process.env.UI_TEST_JSON ?? '../test-results/ui-tests.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    viewport: { width: 1100, height: 900 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    // Debian's Chromium (apt-get install chromium): Playwright never downloads a browser here.
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
  },
});
