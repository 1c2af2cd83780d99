import assert from 'node:assert/strict';
import type { AnyAdapter } from '../adapters/define-adapter';
import type { Counters } from '../imports/import-job.entity';
import type { IssueData } from '../imports/issue-data';
import { TestKit, type ImportResult, type RunOptions, type TestKitOptions } from './test-kit';

/** Data imported before the case, through any loaded adapter (e.g. learners, catalog). */
export interface GivenImport {
  adapter: string;
  csv: string;
  run?: RunOptions;
}

export interface AdapterCase {
  name: string;
  given?: GivenImport[];
  /** Prepares the database after `given`, e.g. with rows no adapter imports. */
  before?: (kit: TestKit) => unknown;
  csv: string | Buffer;
  run?: RunOptions;
  /** Counters that must match (the others are not checked). */
  counts?: Partial<Counters>;
  /** Issues that must be present: each matches on the fields it gives. */
  issues?: Array<Partial<Pick<IssueData, 'line' | 'column' | 'severity' | 'code'>>>;
  /** Further checks, e.g. on the database through kit.manager. */
  then?: (result: ImportResult, kit: TestKit) => unknown;
}

interface TestFunctions {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeout?: number): void;
}

function describeIssue(issue: Partial<IssueData>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(issue).filter(([key]) => ['line', 'column', 'severity', 'code'].includes(key))));
}

function assertIssues(result: ImportResult, expected: AdapterCase['issues'] = []): void {
  for (const wanted of expected) {
    const found = result.issues.some((issue) =>
      Object.entries(wanted).every(([key, value]) => issue[key as keyof IssueData] === value),
    );
    assert.ok(found, `expected issue ${describeIssue(wanted)}; got:\n  ${result.issues.map((i) => `${describeIssue(i)} ${i.message}`).join('\n  ') || '(none)'}`);
  }
}

function assertCounts(result: ImportResult, counts: AdapterCase['counts']): void {
  const job = result.job;
  assert.ok(job, `the file was refused: ${result.refused?.message}`);
  assert.equal(job.processed, job.added + job.updated + job.unchanged + job.rejected, 'processed = added + updated + unchanged + rejected');
  for (const [name, value] of Object.entries(counts ?? {})) {
    assert.equal(job[name as keyof Counters], value, `counts.${name}: expected ${value}, got ${job[name as keyof Counters]}\n${result.logText}`);
  }
}

/**
 * Runs CSV cases through the real pipeline on a throw-away database, in the spirit of
 * ESLint's RuleTester: `valid` cases import without an error, `invalid` ones report the
 * listed issues. Uses the test framework's global `describe` and `it` (jest, vitest, mocha).
 */
export class AdapterTester {
  constructor(
    private readonly adapter: string,
    private readonly options: TestKitOptions = {},
  ) {}

  /** Imports one case and checks it; returns the result for further checks. */
  async check(testCase: AdapterCase, kind: 'valid' | 'invalid'): Promise<ImportResult> {
    const kit = await TestKit.create(this.options);
    try {
      for (const given of testCase.given ?? []) {
        const setup = await kit.import(given.adapter, given.csv, given.run);
        assert.ok(setup.job && setup.job.errors === 0, `given ${given.adapter} data did not import cleanly:\n${setup.logText || setup.refused?.message}`);
      }
      await testCase.before?.(kit);
      const result = await kit.import(this.adapter, testCase.csv, testCase.run);
      if (kind === 'valid') {
        assert.ok(result.job, `the file was refused: ${result.refused?.message}`);
        assert.equal(result.job.status, 'SUCCEEDED', result.job.failure ?? '');
        assert.equal(result.job.errors, 0, `a valid case has no error:\n${result.logText}`);
        assertCounts(result, { rejected: 0, ...testCase.counts });
      } else {
        const errors = result.issues.filter((issue) => issue.severity === 'ERROR');
        assert.ok(errors.length > 0 || result.job?.status === 'FAILED', 'an invalid case reports at least one error');
        if (result.job && result.job.status !== 'FAILED') assertCounts(result, testCase.counts);
      }
      assertIssues(result, testCase.issues);
      await testCase.then?.(result, kit);
      return result;
    } finally {
      await kit.close();
    }
  }

  /** Registers one test per case with the global describe/it. */
  run(cases: { valid?: AdapterCase[]; invalid?: AdapterCase[] }): void {
    const { describe, it } = globalThis as unknown as TestFunctions;
    describe(this.adapter, () => {
      for (const kind of ['valid', 'invalid'] as const) {
        describe(kind, () => {
          for (const testCase of cases[kind] ?? []) it(testCase.name, async () => void (await this.check(testCase, kind)), 120_000);
        });
      }
    });
  }
}

export type { AnyAdapter };
