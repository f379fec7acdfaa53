/** The schedule quota counts through Temporal only when the answer could matter (src/connector/quota.ts). */
import { ActionErrorCode, ScheduleActionError } from '../../../src/connector/errors';
import { QUOTA_COUNT_MAX_AGE_MS, quotaHeadroom, ScheduleQuota } from '../../../src/connector/quota';

/** A solution's schedules as Temporal would count them, and how often it was asked. */
function counter(initial: number) {
  const state = { schedules: initial, counts: 0 };
  const gateway = {
    countSchedules: (): Promise<number> => {
      state.counts++;
      return Promise.resolve(state.schedules);
    },
  };
  return { state, gateway };
}

function clock(start = Date.parse('2026-12-03T10:00:00Z')) {
  const state = { ms: start };
  return { state, now: () => new Date(state.ms) };
}

/** A quota of `limit` over a solution holding `schedules`, on a clock the test moves. */
function world(schedules: number, limit: number) {
  const { state, gateway } = counter(schedules);
  const time = clock();
  return { state, time, quota: new ScheduleQuota(gateway, limit, time.now) };
}

const message = (sentence: string) => `Failed to create schedule: ["${sentence}"]`;

test('the headroom is a tenth of the quota, and at least 10', () => {
  expect([1, 50, 100, 1000, 20_000].map(quotaHeadroom)).toEqual([10, 10, 10, 100, 2000]);
});

test('far below the quota, one count stands for the creates within its age', async () => {
  const { state, time, quota } = world(100, 1000);
  for (let i = 0; i < 50; i++) {
    await quota.check('acme', message);
    quota.created('acme');
    time.state.ms += 100;
  }
  expect(state.counts).toBe(1);
});

test('a count older than its age is taken again', async () => {
  const { state, time, quota } = world(100, 1000);
  await quota.check('acme', message);
  time.state.ms += QUOTA_COUNT_MAX_AGE_MS - 1;
  await quota.check('acme', message);
  expect(state.counts).toBe(1);
  time.state.ms += 1;
  await quota.check('acme', message);
  expect(state.counts).toBe(2);
});

test("this process's creates bring the estimate into the headroom, where every create counts", async () => {
  const { state, quota } = world(880, 1000);
  for (let i = 0; i < 20; i++) {
    await quota.check('acme', message);
    quota.created('acme');
    state.schedules++;
  }
  // 880 + 19 created stays below 900 (the quota less its headroom of 100); the 21st check counts again.
  expect(state.counts).toBe(1);
  await quota.check('acme', message);
  expect(state.counts).toBe(2);
  await quota.check('acme', message);
  expect(state.counts).toBe(3);
});

test('at the quota a create is refused, however recent the count', async () => {
  const { state, quota } = world(999, 1000);
  await quota.check('acme', message);
  quota.created('acme');
  state.schedules = 1000;
  const refused = await quota.check('acme', message).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(ScheduleActionError);
  expect((refused as ScheduleActionError).code).toBe(ActionErrorCode.QuotaExceeded);
  expect((refused as ScheduleActionError).message).toBe(
    'Failed to create schedule: ["Solution has reached its quota of 1000 schedules"]',
  );
  expect(state.counts).toBe(2);
});

test('a small quota is counted on every create', async () => {
  const { state, quota } = world(0, 5);
  for (let i = 0; i < 3; i++) await quota.check('acme', message);
  expect(state.counts).toBe(3);
});

test('each solution has its own count', async () => {
  const { state, quota } = world(10, 1000);
  await quota.check('acme', message);
  await quota.check('globex', message);
  await quota.check('acme', message);
  expect(state.counts).toBe(2);
});

test('a clock that went back counts again rather than trust a count from its future', async () => {
  const { state, time, quota } = world(10, 1000);
  await quota.check('acme', message);
  time.state.ms -= 1000;
  await quota.check('acme', message);
  expect(state.counts).toBe(2);
});
