import { pairKey } from '../../src/adapters/dry-run-memory';
import { ReferenceCache } from '../../src/adapters/references';
import { Course } from '../../src/model/course.entity';
import { CourseItem } from '../../src/model/course-item.entity';
import { Enrollment } from '../../src/model/enrollment.entity';
import { Learner } from '../../src/model/learner.entity';
import { build, type TestApp } from '../helpers/build';

// What a cache answers without the database shows when the database changes under it:
// a learner deleted after the job met it is still answered from the cache.

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

const store = () => app.server.services.store;
const add = (...logins: string[]) =>
  store().transaction((manager) => manager.insert(Learner, logins.map((loginId) => ({ loginId, available: true }))));
const remove = (...logins: string[]) =>
  store().transaction((manager) => manager.createQueryBuilder().delete().from(Learner).where('login_id IN (:...logins)', { logins }).execute());

async function lookUp(cache: ReferenceCache, logins: string[]) {
  return store().transaction(async (manager) => {
    const lookup = await cache.learnersByLogin(manager, logins);
    return logins.map((login) => lookup.get(login)?.loginId ?? null);
  });
}

test('keys the job has met are not asked again; unknown keys are', async () => {
  await add('a1', 'b1');
  const cache = new ReferenceCache();
  expect(await lookUp(cache, ['a1', 'b1', 'z1'])).toEqual(['a1', 'b1', null]);
  await remove('a1');
  await add('z1'); // imported meanwhile
  expect(await lookUp(cache, ['a1', 'z1', 'a1'])).toEqual(['a1', 'z1', 'a1']);
});

test('a full cache starts over with the batch it is answering, and answers all of it', async () => {
  await add('a2', 'b2', 'c2', 'd2', 'e2');
  const cache = new ReferenceCache(3);
  expect(await lookUp(cache, ['a2', 'b2', 'c2'])).toEqual(['a2', 'b2', 'c2']);
  // d2 and e2 do not fit: the cache keeps this batch's keys (a2, d2, e2) and drops the others.
  expect(await lookUp(cache, ['a2', 'd2', 'e2'])).toEqual(['a2', 'd2', 'e2']);
  await remove('a2', 'b2', 'd2');
  expect(await lookUp(cache, ['a2', 'b2', 'd2'])).toEqual(['a2', null, 'd2']);
});

test('items by course and code: same code in two courses, unknown ones asked again, a full cache starts over', async () => {
  const ids = await store().transaction(async (manager) => {
    const courses = await manager.save(Course, [{ code: 'RC-A' }, { code: 'RC-B' }]);
    const [a, b] = courses.map((course) => course.id);
    await manager.insert(CourseItem, [
      { courseId: a, code: 'L1', type: 'L' },
      { courseId: a, code: 'L2', type: 'A' },
      { courseId: b, code: 'L1', type: 'W' },
      { courseId: b, code: 'L3', type: 'T' },
    ]);
    return { a, b };
  });
  const cache = new ReferenceCache(3);
  const types = (courseIds: number[], codes: string[]) =>
    store().transaction(async (manager) => {
      const items = await cache.itemsOf(manager, courseIds, codes);
      return codes.map((code, i) => items.get(courseIds[i], code)?.type ?? null);
    });
  const { a, b } = ids;
  expect(await types([a, b, a, b], ['L1', 'L1', 'L9', 'L2'])).toEqual(['L', 'W', null, null]);
  // L2 of A and L3 of B do not fit with the two known: the cache keeps this batch's items only.
  expect(await types([a, a, b], ['L1', 'L2', 'L3'])).toEqual(['L', 'A', 'T']);
  expect(await types([b, a, b], ['L1', 'L2', 'L3'])).toEqual(['W', 'A', 'T']);
});

test('enrollments found are not asked again (also past a full cache, which starts over); pairs not enrolled are', async () => {
  const { learners, courses } = await store().transaction(async (manager) => {
    const learners = (await manager.save(Learner, ['en1', 'en2'].map((loginId) => ({ loginId, available: true })))).map((l) => l.id);
    const courses = (await manager.save(Course, [{ code: 'EN-A' }, { code: 'EN-B' }])).map((c) => c.id);
    return { learners, courses };
  });
  const enroll = (learnerId: number, courseId: number) =>
    store().transaction((manager) => manager.insert(Enrollment, { learnerId, courseId, role: 'S', available: true }));
  const unenroll = () => store().transaction((manager) => manager.delete(Enrollment, { learnerId: learners[0] }));
  const cache = new ReferenceCache(50_000, 2);
  const pairs = learners.flatMap((learnerId) => courses.map((courseId) => ({ learnerId, courseId })));
  const enrolled = () =>
    store().transaction(async (manager) => {
      const found = await cache.enrolledPairs(manager, pairs);
      return pairs.map((pair) => found.has(pairKey(pair.learnerId, pair.courseId)));
    });
  await enroll(learners[0], courses[0]);
  expect(await enrolled()).toEqual([true, false, false, false]);
  await enroll(learners[1], courses[1]);
  await unenroll(); // what no import does: shows what the cache answers by itself
  expect(await enrolled()).toEqual([true, false, false, true]);
  await enroll(learners[1], courses[0]);
  // Three pairs found do not fit in two: the cache starts over, and answers this batch whole.
  expect(await enrolled()).toEqual([true, false, true, true]);
});
