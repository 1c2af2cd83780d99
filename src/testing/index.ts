/** Test helpers for adapter authors: `import { AdapterTester, TestKit } from 'lms-import/testing'`. */
export { AdapterTester, type AdapterCase, type GivenImport } from './adapter-tester';
export { TestKit, type ImportResult, type RunOptions, type TestKitOptions } from './test-kit';
export { failOnRowByRow, seedReferenceData, type ReferenceData, type ReferenceIds } from './fixtures';
