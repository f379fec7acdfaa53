/**
 * List Schedules a page at a time over the in-memory gateway: every schedule of the solution exactly once across
 * the pages, none of another solution's, sizes validated with messages naming the field, and a token of another
 * solution refused.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate } from '../../../src/catalog/model';
import { ScheduleActionError } from '../../../src/connector/errors';
import { DEFAULT_SCHEDULE_PAGE_SIZE, MAX_SCHEDULE_PAGE_SIZE } from '../../../src/connector/inputs';
import { SchedulerService } from '../../../src/connector/scheduler-service';
import { MemoryCatalog } from '../../fixtures/memory-catalog';
import { MemoryGateway } from '../../fixtures/memory-gateway';

const NOW = new Date('2026-04-29T12:00:00Z');
const DAILY = { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' };

async function world(counts: Record<string, number>) {
  const catalog = new MemoryCatalog();
  const service = new SchedulerService({ catalog, gateway: new MemoryGateway(), now: () => NOW });
  for (const [solution, count] of Object.entries(counts)) {
    const uuid = randomUUID();
    await catalog.put({
      uuid,
      solution,
      name: 'worker',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: 'https://runbooks.example/hook' },
    });
    for (let i = 0; i < count; i++) {
      const input = { runbook_uuid: uuid, schedule_reference: `${solution}-${i}`, schedule: DAILY };
      await service.createSchedule(solution, input);
    }
  }
  return service;
}

async function refusal(promise: Promise<unknown>): Promise<{ message: string; details: readonly string[] }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScheduleActionError);
  const { message, details } = err as ScheduleActionError;
  return { message, details };
}

test('pages of the asked size hold every schedule of the solution once, and none of another', async () => {
  const service = await world({ acme: 7, other: 5 });
  const seen: string[] = [];
  const sizes: number[] = [];
  let page_token: string | undefined;
  do {
    const page = await service.listSchedulePage('acme', {
      page_size: '3',
      ...(page_token ? { page_token } : {}),
    });
    sizes.push(page.schedules.length);
    seen.push(...page.schedules.map((view) => view.schedule_reference));
    page_token = page.next_page_token ?? undefined;
  } while (page_token);
  expect(sizes).toEqual([3, 3, 1]);
  expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `acme-${i}`).sort());
});

test(`without a size a page holds ${DEFAULT_SCHEDULE_PAGE_SIZE}; the last page's token is null`, async () => {
  const service = await world({ acme: DEFAULT_SCHEDULE_PAGE_SIZE + 1 });
  const first = await service.listSchedulePage('acme', {});
  expect(first.schedules).toHaveLength(DEFAULT_SCHEDULE_PAGE_SIZE);
  const second = await service.listSchedulePage('acme', { page_token: first.next_page_token });
  expect({ length: second.schedules.length, next: second.next_page_token }).toEqual({
    length: 1,
    next: null,
  });
});

test("another solution's token is refused, and so is a page size out of range", async () => {
  const service = await world({ acme: 2, other: 2 });
  const { next_page_token } = await service.listSchedulePage('other', { page_size: 1 });
  expect(next_page_token).not.toBeNull();
  expect(await refusal(service.listSchedulePage('acme', { page_token: next_page_token }))).toEqual({
    message: 'Page token is invalid',
    details: ['Page token is invalid'],
  });
  for (const [size, message] of [
    ['0', 'Page size must be greater than or equal to 1'],
    [String(MAX_SCHEDULE_PAGE_SIZE + 1), `Page size must be less than or equal to ${MAX_SCHEDULE_PAGE_SIZE}`],
    ['ten', 'Page size must be a number'],
    [1.5, 'Page size must be an integer'],
  ] as const) {
    expect((await refusal(service.listSchedulePage('acme', { page_size: size }))).details).toEqual([message]);
  }
});
