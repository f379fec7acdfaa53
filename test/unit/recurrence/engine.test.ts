import fc from 'fast-check';
import {
  NoOccurrenceReason,
  type Recurrence,
  type RecurrenceInput,
  localToInstant,
  nextOccurrence,
  nextOccurrences,
  normalizeRecurrence,
} from '../../../src/recurrence';
import {
  DAY_MS,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  parseDate,
  parseTimeOfDay,
  weekdayOfDays,
} from '../../../src/recurrence/civil';
import { WEEKDAYS } from '../../../src/recurrence/types';

const NOW = new Date('2025-01-01T00:00:00Z');
const rule = (input: RecurrenceInput): Recurrence => normalizeRecurrence(input, { now: NOW });
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));
/** Two days before start_date at UTC midnight: before any zone's local start of that date. */
/** The fastest of `runs` timings of `work`, in ms: a pause of the process strikes one run, a slow rule all. */
function fastestMs(runs: number, work: () => unknown): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
}
const beforeStart = (r: Recurrence): Date => new Date(Date.parse(`${r.start_date}T00:00:00Z`) - 2 * DAY_MS);

interface WorkedCase {
  name: string;
  input: RecurrenceInput;
  after?: string;
  expected: string[];
  reason?: NoOccurrenceReason;
  count?: number;
}

// Every worked case of RECURRENCE.md, in its order (UTC instants).
const WORKED: WorkedCase[] = [
  {
    name: 'daily 02:30 America/New_York from 03-07 takes the pre-gap offset on the spring-forward day',
    input: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-03-07',
      time_of_day: '02:30',
    },
    expected: [
      '2025-03-07T07:30:00Z',
      '2025-03-08T07:30:00Z',
      '2025-03-09T07:30:00Z',
      '2025-03-10T06:30:00Z',
    ],
  },
  {
    name: 'daily 01:30 America/New_York from 11-01 fires once, at the first 01:30, on the fall-back day',
    input: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-11-01',
      time_of_day: '01:30',
    },
    expected: ['2025-11-01T05:30:00Z', '2025-11-02T05:30:00Z', '2025-11-03T06:30:00Z'],
  },
  {
    name: 'daily 01:30 Europe/London from 03-29 takes the pre-gap offset',
    input: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'Europe/London',
      start_date: '2025-03-29',
      time_of_day: '01:30',
    },
    expected: ['2025-03-29T01:30:00Z', '2025-03-30T01:30:00Z', '2025-03-31T00:30:00Z'],
  },
  {
    name: 'daily 02:15 Australia/Lord_Howe from 10-04 handles the 30-minute gap',
    input: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'Australia/Lord_Howe',
      start_date: '2025-10-04',
      time_of_day: '02:15',
    },
    expected: ['2025-10-03T15:45:00Z', '2025-10-04T15:45:00Z', '2025-10-05T15:15:00Z'],
  },
  {
    name: 'hourly/5 America/New_York from 03-08 20:00 counts real hours across spring-forward',
    input: {
      frequency: 'hourly',
      interval: 5,
      time_zone: 'America/New_York',
      start_date: '2025-03-08',
      time_of_day: '20:00',
    },
    expected: [
      '2025-03-09T01:00:00Z',
      '2025-03-09T06:00:00Z',
      '2025-03-09T11:00:00Z',
      '2025-03-09T16:00:00Z',
      '2025-03-09T21:00:00Z',
    ],
  },
  {
    name: 'hourly/1 America/New_York from 11-02 00:00 after 03:59:59Z counts real hours across fall-back',
    input: {
      frequency: 'hourly',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-11-02',
      time_of_day: '00:00',
    },
    after: '2025-11-02T03:59:59Z',
    expected: [
      '2025-11-02T04:00:00Z',
      '2025-11-02T05:00:00Z',
      '2025-11-02T06:00:00Z',
      '2025-11-02T07:00:00Z',
    ],
  },
  {
    name: 'minutely/7 America/New_York from 03-09 01:50 counts real minutes across the gap',
    input: {
      frequency: 'minutely',
      interval: 7,
      time_zone: 'America/New_York',
      start_date: '2025-03-09',
      time_of_day: '01:50',
    },
    expected: [
      '2025-03-09T06:50:00Z',
      '2025-03-09T06:57:00Z',
      '2025-03-09T07:04:00Z',
      '2025-03-09T07:11:00Z',
    ],
  },
  {
    name: 'weekly/2 saturday+sunday 10:00 UTC from Sat 01-04 fires on both days of one weekend (week_start monday)',
    input: {
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2025-01-04',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
    },
    expected: [
      '2025-01-04T10:00:00Z',
      '2025-01-05T10:00:00Z',
      '2025-01-18T10:00:00Z',
      '2025-01-19T10:00:00Z',
    ],
  },
  {
    name: 'weekly/2 saturday+sunday with week_start sunday reproduces ice_cube',
    input: {
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2025-01-04',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
      week_start: 'sunday',
    },
    expected: [
      '2025-01-04T10:00:00Z',
      '2025-01-12T10:00:00Z',
      '2025-01-18T10:00:00Z',
      '2025-01-26T10:00:00Z',
    ],
  },
  {
    name: 'monthly day 31 09:00 Europe/London from 01-31 skips months without a 31st',
    input: {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'Europe/London',
      start_date: '2025-01-31',
      time_of_day: '09:00',
      day_of_month: [31],
    },
    expected: [
      '2025-01-31T09:00:00Z',
      '2025-03-31T08:00:00Z',
      '2025-05-31T08:00:00Z',
      '2025-07-31T08:00:00Z',
    ],
  },
  {
    name: "monthly/2 day 5 09:00 UTC from 01-20 counts months from the start's month",
    input: {
      frequency: 'monthly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2025-01-20',
      time_of_day: '09:00',
      day_of_month: [5],
    },
    expected: ['2025-03-05T09:00:00Z', '2025-05-05T09:00:00Z', '2025-07-05T09:00:00Z'],
  },
  {
    name: 'monthly days [31, -1] 09:00 UTC from 01-01 fires once when both name the same day',
    input: {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2025-01-01',
      time_of_day: '09:00',
      day_of_month: [31, -1],
    },
    expected: [
      '2025-01-31T09:00:00Z',
      '2025-02-28T09:00:00Z',
      '2025-03-31T09:00:00Z',
      '2025-04-30T09:00:00Z',
    ],
  },
  {
    name: 'monthly last Friday 17:00 America/New_York from 01-01',
    input: {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-01-01',
      time_of_day: '17:00',
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    },
    expected: [
      '2025-01-31T22:00:00Z',
      '2025-02-28T22:00:00Z',
      '2025-03-28T21:00:00Z',
      '2025-04-25T21:00:00Z',
    ],
  },
  {
    name: 'yearly month 2 from 2024-02-29 12:00 UTC clamps the implicit day',
    input: {
      frequency: 'yearly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2024-02-29',
      time_of_day: '12:00',
      month_of_year: [2],
    },
    expected: ['2024-02-29T12:00:00Z', '2025-02-28T12:00:00Z', '2026-02-28T12:00:00Z'],
  },
  {
    name: 'daily 23:30 America/New_York with end_date 03-03 from 03-01 stops at the local end of 03-03',
    input: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-03-01',
      end_date: '2025-03-03',
      time_of_day: '23:30',
    },
    count: 10,
    expected: ['2025-03-02T04:30:00Z', '2025-03-03T04:30:00Z', '2025-03-04T04:30:00Z'],
    reason: NoOccurrenceReason.EndDatePassed,
  },
  {
    name: 'monthly/12 day 31 09:00 UTC from 2025-02-10 never fires',
    input: {
      frequency: 'monthly',
      interval: 12,
      time_zone: 'UTC',
      start_date: '2025-02-10',
      time_of_day: '09:00',
      day_of_month: [31],
    },
    count: 3,
    expected: [],
    reason: NoOccurrenceReason.NoDateMatches,
  },
];

describe('nextOccurrences gives every worked case of RECURRENCE.md', () => {
  it.each(WORKED)('$name', ({ input, after, expected, reason, count }) => {
    const r = rule(input);
    const from = after === undefined ? beforeStart(r) : new Date(after);
    const result = nextOccurrences(r, from, count ?? expected.length);
    expect(iso(result.occurrences)).toEqual(expected);
    expect(result.reason).toBe(reason ?? null);
  });
});

describe('nextOccurrence', () => {
  it('returns the first occurrence strictly after the given instant', () => {
    const r = rule({
      frequency: 'daily',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2025-01-01',
      time_of_day: '09:00',
    });
    expect(nextOccurrence(r, new Date('2025-01-02T09:00:00Z')).at?.toISOString()).toBe(
      '2025-01-03T09:00:00.000Z',
    );
    expect(nextOccurrence(r, new Date('2025-01-02T08:59:59.999Z')).at?.toISOString()).toBe(
      '2025-01-02T09:00:00.000Z',
    );
  });

  it('does not fire at a start that does not match the rule', () => {
    // 2025-01-05 is a Sunday; the rule is Mondays only.
    const r = rule({
      frequency: 'weekly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2025-01-05',
      time_of_day: '09:00',
      day: ['monday'],
    });
    expect(nextOccurrence(r, beforeStart(r)).at?.toISOString()).toBe('2025-01-06T09:00:00.000Z');
  });

  it('answers Schedule is disabled for a disabled rule', () => {
    const r = rule({
      frequency: 'daily',
      interval: 1,
      time_zone: 'UTC',
      time_of_day: '09:00',
      disabled: true,
    });
    expect(nextOccurrence(r, NOW)).toEqual({ at: null, reason: NoOccurrenceReason.Disabled });
    expect(nextOccurrences(r, NOW, 5)).toEqual({ occurrences: [], reason: 'Schedule is disabled' });
  });

  it('fires a no_repeat rule once at its start, then answers Start time is in the past', () => {
    const r = rule({
      frequency: 'no_repeat',
      time_zone: 'Europe/Amsterdam',
      start_date: '2025-06-01',
      time_of_day: '12:00',
    });
    expect(nextOccurrences(r, NOW, 3)).toEqual({
      occurrences: [new Date('2025-06-01T10:00:00Z')],
      reason: NoOccurrenceReason.StartTimePassed,
    });
    expect(nextOccurrence(r, new Date('2025-06-01T10:00:00Z'))).toEqual({
      at: null,
      reason: 'Start time is in the past',
    });
  });

  it('fires an as-soon-as-possible no_repeat strictly after the creation instant', () => {
    const now = new Date('2025-05-05T10:00:00.250Z');
    const r = normalizeRecurrence({ frequency: 'no_repeat' }, { now });
    expect(nextOccurrence(r, now).at?.toISOString()).toBe('2025-05-05T10:00:01.000Z');
  });

  it('answers End date is in the past when the next occurrence is after end_date', () => {
    const r = rule({
      frequency: 'hourly',
      interval: 1,
      time_zone: 'UTC',
      start_date: '2025-01-01',
      end_date: '2025-01-01',
      time_of_day: '22:00',
    });
    expect(iso(nextOccurrences(r, beforeStart(r), 5).occurrences)).toEqual([
      '2025-01-01T22:00:00Z',
      '2025-01-01T23:00:00Z',
    ]);
    expect(nextOccurrence(r, new Date('2025-01-01T23:00:00Z')).reason).toBe(NoOccurrenceReason.EndDatePassed);
  });

  it('rejects an invalid Date', () => {
    const r = rule({ frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' });
    expect(() => nextOccurrence(r, new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('elapsed-time frequencies across DST', () => {
  it.each([
    {
      name: 'hourly/1 across New York spring-forward keeps 60-minute spacing',
      input: {
        frequency: 'hourly',
        interval: 1,
        time_zone: 'America/New_York',
        start_date: '2025-03-09',
        time_of_day: '00:00',
      },
      expected: [
        '2025-03-09T05:00:00Z',
        '2025-03-09T06:00:00Z',
        '2025-03-09T07:00:00Z',
        '2025-03-09T08:00:00Z',
      ],
    },
    {
      name: 'hourly/1 starting in the New York gap starts at the pre-gap offset',
      input: {
        frequency: 'hourly',
        interval: 1,
        time_zone: 'America/New_York',
        start_date: '2025-03-09',
        time_of_day: '02:30',
      },
      expected: ['2025-03-09T07:30:00Z', '2025-03-09T08:30:00Z'],
    },
    {
      name: 'minutely/30 across New York fall-back fires through both 01:xx hours',
      input: {
        frequency: 'minutely',
        interval: 30,
        time_zone: 'America/New_York',
        start_date: '2025-11-02',
        time_of_day: '01:00',
      },
      expected: [
        '2025-11-02T05:00:00Z',
        '2025-11-02T05:30:00Z',
        '2025-11-02T06:00:00Z',
        '2025-11-02T06:30:00Z',
      ],
    },
    {
      name: 'minutely/45 starting in the Lord Howe gap',
      input: {
        frequency: 'minutely',
        interval: 45,
        time_zone: 'Australia/Lord_Howe',
        start_date: '2025-10-05',
        time_of_day: '02:15',
      },
      expected: ['2025-10-04T15:45:00Z', '2025-10-04T16:30:00Z'],
    },
  ] as { name: string; input: RecurrenceInput; expected: string[] }[])('$name', ({ input, expected }) => {
    const r = rule(input);
    expect(iso(nextOccurrences(r, beforeStart(r), expected.length).occurrences)).toEqual(expected);
  });
});

describe('cost does not depend on the distance from start_date', () => {
  it('minutely/7 started ten years ago gives the closed-form next instant quickly', () => {
    const r = rule({
      frequency: 'minutely',
      interval: 7,
      time_zone: 'America/New_York',
      start_date: '2015-06-01',
      time_of_day: '00:00',
    });
    const start = Date.parse('2015-06-01T04:00:00Z'); // midnight EDT
    const after = new Date('2025-06-01T12:34:56.789Z');
    const period = 7 * 60_000;
    const expected = start + Math.ceil((after.getTime() - start + 1) / period) * period;
    nextOccurrence(r, after); // warm the zone table
    // The fastest of five batches, so another process on the CPU does not count against the engine.
    const perCallMs =
      fastestMs(5, () => {
        for (let i = 0; i < 1000; i++) nextOccurrence(r, after);
      }) / 1000;
    expect(nextOccurrence(r, after).at?.getTime()).toBe(expected);
    expect((expected - start) % period).toBe(0);
    expect(expected).toBeGreaterThan(after.getTime());
    expect(expected - after.getTime()).toBeLessThanOrEqual(period);
    expect(perCallMs).toBeLessThan(1);
  });

  it('a weekly rule started in 1975 lands on an eligible weekend of the current fortnight', () => {
    const r = rule({
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '1975-01-04',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
    });
    const after = new Date('2025-06-01T00:00:00Z');
    const next = nextOccurrence(r, after).at as Date;
    // 1975-01-04 was a Saturday; eligible weeks are a whole number of fortnights from the week holding it.
    const startWeekMonday = daysFromCivil(1975, 1, 4) - 5;
    const day = Math.floor(next.getTime() / DAY_MS);
    expect(Math.floor((day - startWeekMonday) / 7) % 2).toBe(0);
    expect([5, 6]).toContain(weekdayOfDays(day));
    expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(14 * DAY_MS);
  });

  it('an unsatisfiable rule answers No date matches the rule in under 10 ms, whatever the interval', () => {
    for (const interval of [12, 24, 36, 48, 4800]) {
      const r = rule({
        frequency: 'monthly',
        interval,
        time_zone: 'America/New_York',
        start_date: '2025-02-10',
        time_of_day: '09:00',
        day_of_month: [30, 31],
      });
      expect(nextOccurrence(r, NOW)).toEqual({ at: null, reason: NoOccurrenceReason.NoDateMatches });
      expect(fastestMs(5, () => nextOccurrence(r, NOW))).toBeLessThan(10);
    }
  });

  it('a rule that fires rarely is found, not reported as none (monthly/12 on the 29th from February)', () => {
    const r = rule({
      frequency: 'monthly',
      interval: 12,
      time_zone: 'UTC',
      start_date: '2025-02-01',
      time_of_day: '09:00',
      day_of_month: [29],
    });
    expect(iso(nextOccurrences(r, NOW, 2).occurrences)).toEqual([
      '2028-02-29T09:00:00Z',
      '2032-02-29T09:00:00Z',
    ]);
  });
});

/**
 * An independent oracle: walks every local day from start_date and tests the rule's definition directly
 * (no period jumping), so the engine's jump arithmetic is checked against the plain reading of the contract.
 */
function oracle(r: Recurrence, count: number): number[] {
  const start = parseDate(r.start_date);
  const tod = parseTimeOfDay(r.time_of_day);
  if (
    !start ||
    tod === undefined ||
    r.frequency === 'no_repeat' ||
    r.frequency === 'minutely' ||
    r.frequency === 'hourly'
  ) {
    throw new Error('oracle covers calendar frequencies only');
  }
  const startDay = daysFromCivil(start.year, start.month, start.day);
  const out: number[] = [];
  for (let day = startDay; out.length < count && day < startDay + 40 * 366; day++) {
    const { year, month, day: dom } = civilFromDays(day);
    const len = daysInMonth(year, month);
    const wd = weekdayOfDays(day);
    const monthsFromStart = (year - start.year) * 12 + month - start.month;
    let match = false;
    switch (r.frequency) {
      case 'daily':
        match = (day - startDay) % r.interval === 0;
        break;
      case 'weekly': {
        const ws = r.week_start === 'sunday' ? 6 : 0;
        const weekOf = (d: number) => d - ((weekdayOfDays(d) - ws + 7) % 7);
        match =
          ((weekOf(day) - weekOf(startDay)) / 7) % r.interval === 0 &&
          r.day.some((d) => WEEKDAYS.indexOf(d) === wd);
        break;
      }
      case 'monthly':
        if (monthsFromStart % r.interval !== 0) break;
        if (r.day_of_week) {
          const target = WEEKDAYS.indexOf(r.day_of_week_day);
          const nth = Math.floor((dom - 1) / 7) + 1;
          match = wd === target && (r.day_of_week_index === -1 ? dom + 7 > len : nth === r.day_of_week_index);
        } else {
          match = r.day_of_month.some((d) => d === dom || (d === -1 && dom === len));
        }
        break;
      case 'yearly':
        if ((year - start.year) % r.interval !== 0 || !r.month_of_year.includes(month)) break;
        if (r.day_of_week) {
          const target = WEEKDAYS.indexOf(r.day_of_week_day);
          const nth = Math.floor((dom - 1) / 7) + 1;
          match = wd === target && (r.day_of_week_index === -1 ? dom + 7 > len : nth === r.day_of_week_index);
        } else {
          match = dom === Math.min(start.day, len);
        }
        break;
    }
    if (match) out.push(localToInstant(r.time_zone, day * DAY_MS + tod * 1000));
  }
  return out;
}

describe('calendar frequencies agree with a day-by-day oracle', () => {
  const zone = fc.constantFrom(
    'UTC',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
  );
  const date = fc
    .record({
      year: fc.integer({ min: 1995, max: 2030 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .map(
      ({ year, month, day }) =>
        `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, daysInMonth(year, month))).padStart(2, '0')}`,
    );
  const time = fc
    .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.constantFrom(0, 15, 30, 59) })
    .map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const weekday = fc.constantFrom(...WEEKDAYS);
  const month = fc.constantFrom(...([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const));
  const base = {
    time_zone: zone,
    start_date: date,
    time_of_day: time,
    interval: fc.integer({ min: 1, max: 5 }),
  };
  const input: fc.Arbitrary<RecurrenceInput> = fc.oneof(
    fc.record({ frequency: fc.constant('daily' as const), ...base }),
    fc.record({
      frequency: fc.constant('weekly' as const),
      ...base,
      day: fc.uniqueArray(weekday, { minLength: 1, maxLength: 7 }),
      week_start: fc.constantFrom('monday' as const, 'sunday' as const),
    }),
    fc.record({
      frequency: fc.constant('monthly' as const),
      ...base,
      day_of_month: fc.array(fc.constantFrom(-1, 1, 15, 28, 29, 30, 31), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      frequency: fc.constant('monthly' as const),
      ...base,
      day_of_week: fc.constant(true as const),
      day_of_week_index: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, -1 as const),
      day_of_week_day: weekday,
    }),
    fc.record({
      frequency: fc.constant('yearly' as const),
      ...base,
      month_of_year: fc.uniqueArray(month, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      frequency: fc.constant('yearly' as const),
      ...base,
      month_of_year: fc.uniqueArray(month, { minLength: 1, maxLength: 3 }),
      day_of_week: fc.constant(true as const),
      day_of_week_index: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, -1 as const),
      day_of_week_day: weekday,
    }),
  );

  it('from before the start, the first occurrences match', () => {
    fc.assert(
      fc.property(input, (value) => {
        const r = rule(value);
        const expected = oracle(r, 6);
        const actual = nextOccurrences(r, beforeStart(r), expected.length).occurrences.map((d) =>
          d.getTime(),
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('from any instant between occurrences, the next occurrence matches', () => {
    fc.assert(
      fc.property(
        input,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }),
        (value, i, shift) => {
          const r = rule(value);
          const expected = oracle(r, 8);
          const anchor = expected[Math.min(i, expected.length - 1)];
          if (anchor === undefined) return;
          const after = anchor + shift;
          const want = expected.find((t) => t > after);
          if (want === undefined) return;
          expect(nextOccurrence(r, new Date(after)).at?.getTime()).toBe(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});
