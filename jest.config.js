/** Tests run through SWC (decorator metadata for type-graphql) against real databases. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/plugins/*/test/**/*.test.ts'],
  // The browser tests (Playwright, npm run test:ui) are not jest's.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/ui-tests/'],
  setupFiles: ['reflect-metadata'],
  moduleNameMapper: {
    '^lms-import$': '<rootDir>/src/index.ts',
    '^lms-import/testing$': '<rootDir>/src/testing/index.ts',
  },
  testTimeout: 120000,
};
