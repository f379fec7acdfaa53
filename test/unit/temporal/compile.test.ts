/**
 * Compile to a Temporal schedule spec (pure): minutely/hourly become an interval spec whose matches are the
 * engine's instants; every other rule becomes a window of explicit UTC instants, exactly the engine's.
 */
import {
  nextOccurrence,
  nextOccurrences,
  normalizeRecurrence,
  ruleEndBound as endBound,
  ruleStartInstant as startInstant,
} from '../../../src/recurrence';
import { compileSchedule, instantCalendar } from '../../../src/temporal/compile';

const NOW = new Date('2026-11-21T12:00:00Z');

/** The first time an interval spec matches strictly after `after` (Temporal: epoch-aligned plus offset). */
function intervalNext(every: number, offset: number, startAt: Date, after: Date): Date {
  const from = Math.max(after.getTime() + 1, startAt.getTime());
  const k = Math.ceil((from - offset) / every);
  return new Date(k * every + offset);
}

test.each([
  [
    'minutely/7 from the year 50',
    { frequency: 'minutely', interval: 7, start_date: '0050-01-01', time_of_day: '00:00:30' },
  ],
  [
    'hourly/5 across New York DST',
    {
      frequency: 'hourly',
      interval: 5,
      start_date: '2025-03-08',
      time_of_day: '20:00',
      time_zone: 'America/New_York',
    },
  ],
  [
    'minutely/13 started in 1970',
    { frequency: 'minutely', interval: 13, start_date: '1970-01-01', time_of_day: '00:00:07' },
  ],
])('%s: the interval spec matches the engine', (_name, input) => {
  const rule = normalizeRecurrence({ time_zone: 'UTC', ...input }, { now: NOW });
  const compiled = compileSchedule(rule, NOW);
  expect(compiled.mode).toBe('interval');
  const [interval] = compiled.spec.intervals ?? [];
  const every = Number(interval?.every);
  const offset = Number(interval?.offset);
  const startAt = compiled.spec.startAt as Date;
  expect(startAt).toEqual(startInstant(rule));
  for (const after of [NOW, new Date('2025-03-09T05:59:59Z'), new Date('2031-07-01T00:00:00.500Z')]) {
    expect(intervalNext(every, offset, startAt, after)).toEqual(nextOccurrence(rule, after).at);
  }
});

test('a year below 100 is not read as 19xx', () => {
  const rule = normalizeRecurrence(
    {
      frequency: 'hourly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '0050-01-01',
      time_of_day: '12:00',
      end_date: '0060-01-01',
    },
    { now: NOW },
  );
  expect(startInstant(rule).toISOString()).toBe('0050-01-01T12:00:00.000Z');
  expect(endBound(rule)?.toISOString()).toBe('0060-01-02T00:00:00.000Z');
  expect(compileSchedule(rule, NOW).spec.endAt).toEqual(new Date('0060-01-01T23:59:59.000Z'));
});

test('an hourly end bound is exclusive: endAt is one second before the local start of the next day', () => {
  const rule = normalizeRecurrence(
    {
      frequency: 'hourly',
      interval: 1,
      time_zone: 'Europe/London',
      start_date: '2027-06-01',
      time_of_day: '00:30',
      end_date: '2027-06-30',
    },
    { now: NOW },
  );
  expect(compileSchedule(rule, NOW).spec.endAt).toEqual(new Date('2027-06-30T22:59:59.000Z'));
});

test('one calendar entry matches one UTC second', () => {
  expect(instantCalendar(new Date('2027-03-14T06:30:05Z'))).toEqual({
    year: 2027,
    month: 'MARCH',
    dayOfMonth: 14,
    hour: 6,
    minute: 30,
    second: 5,
    dayOfWeek: '*',
  });
});

test('a calendar rule becomes a window of the engine instants, at least 10 and 7 days ahead', () => {
  const rule = normalizeRecurrence(
    {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'America/New_York',
      time_of_day: '17:00',
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    },
    { now: NOW },
  );
  const compiled = compileSchedule(rule, NOW);
  expect(compiled.mode).toBe('window');
  const calendars = compiled.spec.calendars ?? [];
  expect(calendars.length).toBeGreaterThanOrEqual(10);
  const expected = nextOccurrences(rule, NOW, calendars.length).occurrences;
  // Each calendar entry is exactly one engine instant, in order.
  expect(calendars).toEqual(expected.map(instantCalendar));
  expect(compiled.nextOccurrenceAt).toEqual(expected[0]);
  expect(compiled.windowEnd).toEqual(expected[expected.length - 1]);
});

test('a disabled rule compiles its window, paused, with the reason', () => {
  const rule = normalizeRecurrence(
    { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00', disabled: true },
    { now: NOW },
  );
  // A disabled rule still compiles its full window (resuming needs no recompilation).
  const compiled = compileSchedule(rule, NOW, { minCount: 3, maxCount: 7 });
  expect(compiled.spec.calendars).toHaveLength(7);
  expect(compiled.windowEnd?.getTime()).toBeGreaterThanOrEqual(NOW.getTime() + 6 * 86_400_000);
  expect(compiled).toMatchObject({ paused: true, reason: 'Schedule is disabled', nextOccurrenceAt: null });
});

test('a rule with no further occurrence compiles paused with its reason', () => {
  const rule = normalizeRecurrence(
    {
      frequency: 'monthly',
      interval: 12,
      time_zone: 'UTC',
      start_date: '2027-02-10',
      time_of_day: '09:00',
      day_of_month: [31],
    },
    { now: NOW },
  );
  expect(compileSchedule(rule, NOW)).toMatchObject({
    mode: 'window',
    paused: true,
    reason: 'No date matches the rule',
    nextOccurrenceAt: null,
    windowEnd: null,
  });
});

/** Daily at 09:00 UTC from the day after {@link NOW}. */
function dailyAtNine() {
  return normalizeRecurrence(
    { frequency: 'daily', interval: 1, time_zone: 'UTC', start_date: '2026-11-22', time_of_day: '09:00' },
    { now: NOW },
  );
}

describe('the re-arm point (rearmFrom)', () => {
  test('a native interval spec without an end needs no re-arm', () => {
    const rule = normalizeRecurrence(
      {
        frequency: 'minutely',
        interval: 1,
        time_zone: 'UTC',
        start_date: '2026-11-21',
        time_of_day: '00:00',
      },
      { now: NOW },
    );
    expect(compileSchedule(rule, NOW).rearmFrom).toBeNull();
  });

  test('a native interval spec with an end re-arms at its last occurrence, which pauses it', () => {
    const rule = normalizeRecurrence(
      {
        frequency: 'hourly',
        interval: 5,
        time_zone: 'UTC',
        start_date: '2026-11-21',
        time_of_day: '01:00',
        end_date: '2026-11-25',
      },
      { now: NOW },
    );
    const from = compileSchedule(rule, NOW).rearmFrom;
    expect(from).not.toBeNull();
    const before = new Date((from?.getTime() ?? 0) - 1);
    const last = nextOccurrence(rule, before).at;
    // The point is the last occurrence or just before it, and after the one before the last.
    expect(last?.getTime()).toBeGreaterThanOrEqual(from?.getTime() ?? Infinity);
    expect(last && nextOccurrence(rule, last).at).toBeNull();
    const previous = nextOccurrences(rule, new Date((last?.getTime() ?? 0) - 6 * 3_600_000), 2)
      .occurrences[0];
    expect(previous?.getTime()).toBeLessThan(from?.getTime() ?? 0);
  });

  test('a window re-arms from its middle instant on, well before it runs dry', () => {
    const rule = dailyAtNine();
    const compiled = compileSchedule(rule, NOW, { minCount: 10, minSpanMs: 0, maxCount: 10 });
    const instants = nextOccurrences(rule, NOW, 10).occurrences;
    expect(compiled.rearmFrom).toEqual(instants[4]);
    expect(compiled.windowEnd).toEqual(instants[9]);
  });

  test('a window of one instant re-arms at that instant; an empty one never', () => {
    const rule = dailyAtNine();
    const one = compileSchedule(rule, NOW, { minCount: 1, minSpanMs: 0, maxCount: 1 });
    expect(one.rearmFrom).toEqual(one.windowEnd);
    const none = normalizeRecurrence(
      { frequency: 'no_repeat', time_zone: 'UTC', start_date: '2026-11-20', time_of_day: '09:00' },
      { now: new Date('2026-11-19T00:00:00Z') },
    );
    expect(compileSchedule(none, NOW).rearmFrom).toBeNull();
  });
});
