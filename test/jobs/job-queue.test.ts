import { CANCELLED, InProcessJobQueue, SHUTDOWN } from '../../src/jobs/job-queue';

/** A handler whose jobs run until the test ends them (or they are aborted). */
function controllable() {
  const started: number[] = [];
  const finish = new Map<number, () => void>();
  const signals = new Map<number, AbortSignal>();
  const handler = (jobId: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      started.push(jobId);
      signals.set(jobId, signal);
      finish.set(jobId, resolve);
      signal.addEventListener('abort', () => resolve());
    });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { started, finish, signals, handler, tick };
}

test('runs at most `concurrency` jobs, in order; the next starts when one ends', async () => {
  const t = controllable();
  const queue = new InProcessJobQueue(t.handler, 2);
  [1, 2, 3, 4].forEach((id) => queue.enqueue(id));
  queue.enqueue(3); // queued already: ignored
  expect(t.started).toEqual([1, 2]);
  t.finish.get(1)!();
  await t.tick();
  expect(t.started).toEqual([1, 2, 3]);
  expect(queue.size).toBe(3);
  await queue.close();
});

test('a job enqueued while it runs (resumed as its run ends) runs again after it', async () => {
  const t = controllable();
  const queue = new InProcessJobQueue(t.handler, 1);
  queue.enqueue(1);
  queue.enqueue(1);
  expect(t.started).toEqual([1]);
  t.finish.get(1)!();
  await t.tick();
  expect(t.started).toEqual([1, 1]);
  await queue.close();
});

test('a queued job is taken off the queue and never starts; a running one is asked to stop', async () => {
  const t = controllable();
  const queue = new InProcessJobQueue(t.handler, 1);
  [1, 2].forEach((id) => queue.enqueue(id));
  expect(await queue.counts()).toEqual({ waiting: 1, active: 1 });
  expect(await queue.cancel(2)).toBe('queued');
  expect(await queue.cancel(1)).toBe('running');
  expect(t.signals.get(1)!.aborted).toBe(true);
  expect(t.signals.get(1)!.reason).toBe(CANCELLED);
  expect(await queue.cancel(42)).toBe('unknown');
  await t.tick();
  expect(t.started).toEqual([1]);
  expect(queue.size).toBe(0);
});

test('close stops taking jobs and aborts running ones with the SHUTDOWN reason, so they resume later', async () => {
  const t = controllable();
  const errors: unknown[] = [];
  const queue = new InProcessJobQueue(t.handler, 1, (_id, error) => errors.push(error));
  [1, 2].forEach((id) => queue.enqueue(id));
  await queue.close();
  expect(t.signals.get(1)!.reason).toBe(SHUTDOWN);
  queue.enqueue(3);
  expect(t.started).toEqual([1]);
  expect(errors).toEqual([]);
});

test('a handler that throws is reported and frees its slot', async () => {
  const errors: Array<[number, unknown]> = [];
  const ran: number[] = [];
  const queue = new InProcessJobQueue(
    async (id) => {
      ran.push(id);
      if (id === 1) throw new Error('boom');
    },
    1,
    (id, error) => errors.push([id, error]),
  );
  [1, 2].forEach((id) => queue.enqueue(id));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(ran).toEqual([1, 2]);
  expect(errors).toEqual([[1, new Error('boom')]]);
});
