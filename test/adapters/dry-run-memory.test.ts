import { DryRunMemory, pairKey } from '../../src/adapters/dry-run-memory';

test('remembers numbers, objects and string keys, and a batch resolved again takes its entries back', () => {
  const memory = new DryRunMemory();
  const pair = pairKey(20_000, 1_999) as number;
  memory.set(10, pair, 1);
  memory.set(11, pair, 2);
  memory.set(12, pairKey(7, 8), { session: 1, values: { score: 80 } });
  memory.set(13, 'login', 3);
  expect([memory.get(pair), memory.get(pairKey(7, 8)), memory.get('login')]).toEqual([2, { session: 1, values: { score: 80 } }, 3]);

  memory.rewind(11); // lines 11 and after are being resolved again
  expect([memory.get(pair), memory.get(pairKey(7, 8)), memory.get('login')]).toEqual([1, undefined, undefined]);

  // A key whose value turns from a number to an object, and back on rewind.
  memory.set(11, pair, { session: 3, values: {} });
  expect(memory.get(pair)).toEqual({ session: 3, values: {} });
  memory.set(12, pair, 2 ** 40); // not a 32-bit integer: kept as it is
  expect(memory.get(pair)).toBe(2 ** 40);
  memory.rewind(11);
  expect(memory.get(pair)).toBe(1);
  memory.rewind(10);
  expect(memory.get(pair)).toBeUndefined();
});

test('pair keys are numbers while the ids fit, strings beyond', () => {
  expect(pairKey(1, 2)).toBe(2 ** 21 + 2);
  expect(pairKey(2 ** 32 - 1, 2 ** 21 - 1)).toBe((2 ** 32 - 1) * 2 ** 21 + 2 ** 21 - 1);
  expect(pairKey(2 ** 32, 1)).toBe(`${2 ** 32}:1`);
  expect(pairKey(1, 2 ** 21)).toBe(`1:${2 ** 21}`);
});
