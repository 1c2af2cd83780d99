import fc from 'fast-check';
import { NumberTable } from '../../src/util/number-table';

// The table must answer exactly as a Map would, whatever the sequence of operations, through
// growth and back-shifting deletions; keys are what pairKey makes (up to 2^53).

const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 32 }), fc.maxSafeInteger().filter((n) => n >= 0));
const operation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({ op: fc.constant('delete' as const), key }),
);

test('behaves as a Map of numbers, through growth and deletions', () => {
  fc.assert(
    fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
      const table = new NumberTable(4);
      const reference = new Map<number, number>();
      for (const step of operations) {
        if (step.op === 'set') {
          table.set(step.key, step.value);
          reference.set(step.key, step.value);
        } else {
          expect(table.delete(step.key)).toBe(reference.delete(step.key));
        }
        expect(table.size).toBe(reference.size);
      }
      for (const step of operations) {
        expect(table.get(step.key)).toBe(reference.get(step.key));
        expect(table.has(step.key)).toBe(reference.has(step.key));
      }
    }),
    { numRuns: 300 },
  );
});

test('200,000 pair keys of 4,000 learners and 2,000 items, with half of them deleted', () => {
  const table = new NumberTable();
  const pairs: number[] = [];
  for (let learner = 1; learner <= 4_000; learner++) for (let item = 1; item <= 50; item++) pairs.push(learner * 2 ** 21 + ((learner * 7 + item * 40) % 2000) + 1);
  pairs.forEach((pair, i) => table.set(pair, i));
  expect(table.size).toBe(new Set(pairs).size);
  expect(pairs.filter((pair, i) => table.get(pair) !== i)).toEqual([]);
  pairs.forEach((pair, i) => {
    if (i % 2 === 0) table.delete(pair);
  });
  const expected = new Map<number, number>();
  pairs.forEach((pair, i) => expected.set(pair, i));
  pairs.forEach((pair, i) => {
    if (i % 2 === 0) expected.delete(pair);
  });
  const wrong = pairs.filter((pair) => table.get(pair) !== expected.get(pair));
  expect(wrong).toEqual([]);
  expect(table.size).toBe(expected.size);
});
