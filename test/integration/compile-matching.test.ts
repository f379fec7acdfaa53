/**
 * The compiled schedule fires at exactly the engine's instants (RECURRENCE.md, "Mapping onto Temporal"),
 * judged by the server itself: the times Temporal says each schedule matches over a year
 * (ListScheduleMatchingTimes) equal the engine's, across DST changes in New York, London and Lord Howe.
 * And a schedule with a deliberately tiny window really fires across several re-arms.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { msNumberToTs, tsToMs } from '@temporalio/common/lib/time';
import { TriggerTemplate } from '../../src/catalog/model';
import { nextOccurrence, nextOccurrences, normalizeRecurrence, type Recurrence } from '../../src/recurrence';
import { compileSchedule } from '../../src/temporal/compile';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { connectTestClient, startHttpReceiver, uniqueId, waitFor, type TestClient } from './harness';
import { startScheduler } from './scheduler-fixture';

const YEAR_MS = 365 * 86_400_000;
const NY = 'America/New_York';
const LONDON = 'Europe/London';
const LORD_HOWE = 'Australia/Lord_Howe';

/** Rules whose occurrences cross DST changes and calendar edges in the coming year. */
const RULES: ReadonlyArray<[string, Record<string, unknown>]> = [
  [
    'daily 02:30 New York across spring-forward',
    { frequency: 'daily', interval: 1, time_zone: NY, start_date: '2027-03-12', time_of_day: '02:30' },
  ],
  [
    'daily 02:00 New York at the gap start',
    {
      frequency: 'daily',
      interval: 1,
      time_zone: NY,
      start_date: '2027-03-13',
      time_of_day: '02:00',
      end_date: '2027-04-30',
    },
  ],
  [
    'daily 01:30 New York across fall-back',
    { frequency: 'daily', interval: 1, time_zone: NY, start_date: '2027-11-05', time_of_day: '01:30' },
  ],
  [
    'daily 01:30 London across BST start',
    { frequency: 'daily', interval: 1, time_zone: LONDON, start_date: '2027-03-26', time_of_day: '01:30' },
  ],
  [
    'daily 01:30 London across BST end',
    {
      frequency: 'daily',
      interval: 1,
      time_zone: LONDON,
      start_date: '2027-10-29',
      time_of_day: '01:30',
      end_date: '2027-11-10',
    },
  ],
  [
    'daily 02:15 Lord Howe in the 30-minute gap',
    {
      frequency: 'daily',
      interval: 1,
      time_zone: LORD_HOWE,
      start_date: '2027-09-30',
      time_of_day: '02:15',
      end_date: '2027-10-20',
    },
  ],
  [
    'daily 01:45 Lord Howe in the 30-minute overlap',
    {
      frequency: 'daily',
      interval: 1,
      time_zone: LORD_HOWE,
      start_date: '2027-04-01',
      time_of_day: '01:45',
      end_date: '2027-04-20',
    },
  ],
  [
    'daily/3 09:00 Kolkata',
    {
      frequency: 'daily',
      interval: 3,
      time_zone: 'Asia/Kolkata',
      start_date: '2027-01-01',
      time_of_day: '09:00',
    },
  ],
  [
    'daily 23:30 New York with an end date',
    {
      frequency: 'daily',
      interval: 1,
      time_zone: NY,
      start_date: '2027-03-01',
      time_of_day: '23:30',
      end_date: '2027-03-03',
    },
  ],
  [
    'weekly/2 Sat+Sun 10:00 UTC',
    {
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2027-01-02',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
    },
  ],
  [
    'weekly/2 Sat+Sun 10:00 UTC, weeks from Sunday',
    {
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2027-01-02',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
      week_start: 'sunday',
    },
  ],
  [
    'weekly Mon/Wed/Fri 09:00 New York',
    {
      frequency: 'weekly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-01-04',
      time_of_day: '09:00',
      day: ['monday', 'wednesday', 'friday'],
    },
  ],
  [
    'weekly/3 Tuesday 02:30 New York',
    {
      frequency: 'weekly',
      interval: 3,
      time_zone: NY,
      start_date: '2027-02-23',
      time_of_day: '02:30',
      day: ['tuesday'],
    },
  ],
  [
    'weekly Sunday 02:30 New York (gap Sundays)',
    {
      frequency: 'weekly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-01-03',
      time_of_day: '02:30',
      day: ['sunday'],
    },
  ],
  [
    'weekly Sunday 01:30 New York (overlap Sunday)',
    {
      frequency: 'weekly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-01-03',
      time_of_day: '01:30',
      day: ['sunday'],
    },
  ],
  [
    'weekly/2 every day 02:30 London from Sunday weeks',
    {
      frequency: 'weekly',
      interval: 2,
      time_zone: LONDON,
      start_date: '2027-02-01',
      time_of_day: '02:30',
      day: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
      week_start: 'sunday',
    },
  ],
  [
    'monthly last Friday 17:00 New York',
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-01-01',
      time_of_day: '17:00',
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    },
  ],
  [
    'monthly day 31 09:00 London',
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: LONDON,
      start_date: '2027-01-31',
      time_of_day: '09:00',
      day_of_month: [31],
    },
  ],
  [
    'monthly days 31 and last 09:00 UTC',
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2027-01-01',
      time_of_day: '09:00',
      day_of_month: [31, -1],
    },
  ],
  [
    'monthly/2 day 5 09:00 UTC',
    {
      frequency: 'monthly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2027-01-20',
      time_of_day: '09:00',
      day_of_month: [5],
    },
  ],
  [
    'monthly second Tuesday 08:00 London',
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: LONDON,
      start_date: '2027-01-01',
      time_of_day: '08:00',
      day_of_week: true,
      day_of_week_index: 2,
      day_of_week_day: 'tuesday',
    },
  ],
  [
    'monthly day 29 12:00 UTC',
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2027-01-01',
      time_of_day: '12:00',
      day_of_month: [29],
    },
  ],
  [
    'monthly first Sunday 02:15 Lord Howe',
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: LORD_HOWE,
      start_date: '2027-01-01',
      time_of_day: '02:15',
      day_of_week: true,
      day_of_week_index: 1,
      day_of_week_day: 'sunday',
    },
  ],
  [
    'monthly/12 day 31 from February: never',
    {
      frequency: 'monthly',
      interval: 12,
      time_zone: 'UTC',
      start_date: '2027-02-10',
      time_of_day: '09:00',
      day_of_month: [31],
    },
  ],
  [
    'yearly February from a 29th',
    {
      frequency: 'yearly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2024-02-29',
      time_of_day: '12:00',
      month_of_year: [2],
    },
  ],
  [
    'yearly quarterly last Friday 17:00 New York',
    {
      frequency: 'yearly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-01-01',
      time_of_day: '17:00',
      month_of_year: [1, 4, 7, 10],
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    },
  ],
  [
    'yearly second Sunday of March 02:30 New York',
    {
      frequency: 'yearly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-01-01',
      time_of_day: '02:30',
      month_of_year: [3],
      day_of_week: true,
      day_of_week_index: 2,
      day_of_week_day: 'sunday',
    },
  ],
  [
    'yearly Feb/Apr/Jun from the 31st, clamped',
    {
      frequency: 'yearly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2027-01-31',
      time_of_day: '06:00',
      month_of_year: [2, 4, 6],
    },
  ],
  [
    'hourly/5 New York across spring-forward',
    { frequency: 'hourly', interval: 5, time_zone: NY, start_date: '2027-03-13', time_of_day: '20:00' },
  ],
  [
    'hourly New York across fall-back, end date',
    {
      frequency: 'hourly',
      interval: 1,
      time_zone: NY,
      start_date: '2027-11-06',
      time_of_day: '00:00',
      end_date: '2027-11-08',
    },
  ],
  [
    'hourly/3 Lord Howe across its gap, end date',
    {
      frequency: 'hourly',
      interval: 3,
      time_zone: LORD_HOWE,
      start_date: '2027-10-02',
      time_of_day: '22:00',
      end_date: '2027-10-04',
    },
  ],
  [
    'minutely/7 New York on spring-forward day',
    {
      frequency: 'minutely',
      interval: 7,
      time_zone: NY,
      start_date: '2027-03-14',
      time_of_day: '01:50',
      end_date: '2027-03-14',
    },
  ],
  [
    'no_repeat London',
    { frequency: 'no_repeat', time_zone: LONDON, start_date: '2027-06-15', time_of_day: '12:00' },
  ],
];

let t: TestClient;
beforeAll(async () => {
  t = await connectTestClient();
});
afterAll(async () => {
  await t?.close();
});

/** The server answers at most 1000 times per call: page on from the last one until a short page. */
const SERVER_PAGE_CAP = 1000;

async function matchingTimes(client: Client, scheduleId: string, start: Date, end: Date): Promise<string[]> {
  const times: string[] = [];
  let fromSeconds = Math.floor(start.getTime() / 1000) - 1;
  for (;;) {
    const res = await client.workflowService.listScheduleMatchingTimes({
      namespace: client.options.namespace,
      scheduleId,
      // Both bounds exclusive by a nanosecond: strictly after `start`, strictly before `end`.
      startTime: { ...msNumberToTs(fromSeconds * 1000), nanos: 999_999_999 },
      endTime: { ...msNumberToTs((Math.floor(end.getTime() / 1000) - 1) * 1000), nanos: 999_999_999 },
    });
    const page = (res.startTime ?? []).map((ts) => Math.round(tsToMs(ts) / 1000));
    times.push(...page.map((s) => new Date(s * 1000).toISOString()));
    if (page.length < SERVER_PAGE_CAP) return times;
    fromSeconds = page[page.length - 1]!;
  }
}

/** The engine's instants strictly after `after` and before `before`, walked one by one. */
function engineInstantsBefore(rule: Recurrence, after: Date, before: Date): string[] {
  const instants: string[] = [];
  for (
    let next = nextOccurrence(rule, after).at;
    next && next < before;
    next = nextOccurrence(rule, next).at
  ) {
    instants.push(next.toISOString());
  }
  return instants;
}

test.each(RULES)('server matching times equal the engine over a year: %s', async (_name, input) => {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const rule: Recurrence = normalizeRecurrence(input, { now });
  const horizon = new Date(now.getTime() + YEAR_MS);
  const compiled = compileSchedule(rule, now, {
    minCount: 1,
    minSpanMs: YEAR_MS + 86_400_000,
    maxCount: 5000,
  });
  const scheduleId = uniqueId('compile-check');
  await t.client.schedule.create({
    scheduleId,
    spec: compiled.spec,
    action: { type: 'startWorkflow', workflowType: 'neverRuns', taskQueue: uniqueId('idle'), args: [] },
    // Paused: the server still answers which times the spec matches, and nothing runs.
    state: { paused: true },
  });
  try {
    const expected = engineInstantsBefore(rule, now, horizon);
    const actual = await matchingTimes(t.client, scheduleId, now, horizon);
    expect(actual).toEqual(expected);
  } finally {
    await t.client.schedule.getHandle(scheduleId).delete();
  }
});

test('the rule set covers native interval and explicit-window schedules, and a rule that never fires', () => {
  const now = new Date();
  const modes = RULES.map(([, input]) => compileSchedule(normalizeRecurrence(input, { now }), now).mode);
  expect(RULES.length).toBeGreaterThanOrEqual(30);
  expect(modes.filter((m) => m === 'interval').length).toBeGreaterThanOrEqual(3);
  expect(modes.filter((m) => m === 'window').length).toBeGreaterThanOrEqual(25);
});

test('a schedule with a one-instant window fires across several re-arms at the engine instants', async () => {
  const scheduler = await startScheduler({
    window: { minCount: 1, minSpanMs: 0, maxCount: 1, forceWindow: true },
  });
  const receiver = await startHttpReceiver();
  const solution = uniqueId('sol');
  const reference = uniqueId('tiny-window');
  const runbookUuid = randomUUID();
  try {
    await scheduler.app.service.registerRunbook({
      uuid: runbookUuid,
      solution,
      name: 'tiny window',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: receiver.url },
    });
    // The first instant a few seconds ahead, so it is still ahead when the schedule is read back on a busy machine.
    const now = new Date();
    const first = new Date(Math.ceil((now.getTime() + 5_000) / 1000) * 1000).toISOString();
    const schedule = {
      frequency: 'minutely',
      interval: 1,
      time_zone: 'UTC',
      start_date: first.slice(0, 10),
      time_of_day: first.slice(11, 19),
    };
    const created = await scheduler.app.service.createSchedule(solution, {
      runbook_uuid: runbookUuid,
      schedule_reference: reference,
      schedule,
    });
    const stored = await scheduler.app.service.getSchedule(solution, { schedule_reference: reference });
    expect(stored?.next_action_times).toHaveLength(1);
    const rule = stored!.schedule;
    const expected = nextOccurrences(rule, now, 3).occurrences.map((d) =>
      d.toISOString().replace('.000Z', 'Z'),
    );
    expect(created.next_occurrence_at).toBe(expected[0]);

    const requests = await receiver.waitForRequests(3, 200_000);
    const fired = requests.map((r) => (r.body as { triggered_at: string }).triggered_at);
    expect(fired).toEqual(expected);
    // The third run re-arms once more: the window moves past the last fired instant.
    await waitFor(async () => {
      const after = await scheduler.app.service.getSchedule(solution, { schedule_reference: reference });
      expect(after?.next_action_times).toHaveLength(1);
      expect(new Date(after!.next_action_times[0]!).getTime()).toBeGreaterThan(
        new Date(expected[2]!).getTime(),
      );
      return true;
    });
  } finally {
    await scheduler.app.service.deleteSchedule(solution, { schedule_reference: reference });
    await receiver.close();
    await scheduler.close();
  }
}, 240_000);

test('schedule ids are readable and scoped by solution', () => {
  expect(scheduleIdFor('acme', 'tenant-42-daily')).toBe('rbs:acme:tenant-42-daily');
});
