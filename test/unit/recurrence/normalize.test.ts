import {
  NoOccurrenceReason,
  RecurrenceValidationError,
  nextOccurrence,
  nextOccurrences,
  normalizeRecurrence,
  validateRecurrence,
  type RecurrenceInput,
} from '../../../src/recurrence';

const NOW = new Date('2025-01-04T08:00:00Z');
const messagesOf = (input: unknown, defaultTimeZone?: string): string[] => {
  const result = validateRecurrence(input, { now: NOW, defaultTimeZone });
  return result.success ? [] : result.messages;
};

describe('normalizeRecurrence fills clock-dependent defaults from now', () => {
  it('fills disabled, start_date (today in the zone) and week_start, and echoes time_of_day as given', () => {
    expect(
      normalizeRecurrence(
        {
          frequency: 'weekly',
          interval: 2,
          time_zone: 'UTC',
          time_of_day: '10:00',
          day: ['saturday', 'sunday'],
        },
        { now: NOW },
      ),
    ).toEqual({
      frequency: 'weekly',
      disabled: false,
      interval: 2,
      time_zone: 'UTC',
      start_date: '2025-01-04',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
      week_start: 'monday',
    });
  });

  it('takes today in the rule zone, not in UTC', () => {
    const r = normalizeRecurrence(
      { frequency: 'daily', interval: 1, time_zone: 'America/New_York', time_of_day: '09:00' },
      { now: new Date('2025-01-04T02:00:00Z') },
    );
    expect(r.start_date).toBe('2025-01-03');
  });

  it('defaults a minutely time_of_day to now rounded up to the next whole second, local to the zone', () => {
    const r = normalizeRecurrence(
      { frequency: 'minutely', interval: 5, time_zone: 'Europe/Amsterdam' },
      { now: new Date('2025-01-04T08:00:00.000Z') },
    );
    expect([r.start_date, r.time_of_day]).toEqual(['2025-01-04', '09:00:01']);
  });

  it('moves the defaulted start_date with the rounded second across midnight', () => {
    const r = normalizeRecurrence(
      { frequency: 'hourly', interval: 1, time_zone: 'UTC' },
      { now: new Date('2025-12-31T23:59:59.500Z') },
    );
    expect([r.start_date, r.time_of_day]).toEqual(['2026-01-01', '00:00:00']);
  });

  it('stores an as-soon-as-possible no_repeat as the next whole second in UTC or the default zone', () => {
    const now = new Date('2025-05-05T10:00:00.250Z');
    expect(normalizeRecurrence({ frequency: 'no_repeat' }, { now })).toEqual({
      frequency: 'no_repeat',
      disabled: false,
      time_zone: 'UTC',
      start_date: '2025-05-05',
      time_of_day: '10:00:01',
    });
    expect(
      normalizeRecurrence({ frequency: 'no_repeat' }, { now, defaultTimeZone: 'Amsterdam' }),
    ).toMatchObject({
      time_zone: 'Europe/Amsterdam',
      start_date: '2025-05-05',
      time_of_day: '12:00:01',
    });
  });

  it('defaults a no_repeat with only a date to 00:00 and with only a time to today', () => {
    expect(
      normalizeRecurrence(
        { frequency: 'no_repeat', time_zone: 'UTC', start_date: '2025-02-01' },
        { now: NOW },
      ),
    ).toMatchObject({ start_date: '2025-02-01', time_of_day: '00:00:00' });
    expect(
      normalizeRecurrence({ frequency: 'no_repeat', time_zone: 'UTC', time_of_day: '18:00' }, { now: NOW }),
    ).toMatchObject({ start_date: '2025-01-04', time_of_day: '18:00' });
  });

  it('uses the deployment default zone when time_zone is missing', () => {
    const r = normalizeRecurrence(
      { frequency: 'daily', interval: 1, time_of_day: '09:00' },
      { now: NOW, defaultTimeZone: 'Eastern Time (US & Canada)' },
    );
    expect(r.time_zone).toBe('America/New_York');
  });
});

describe('a default start in the second pass of a fall-back overlap', () => {
  // 01:30:00.2 EST on 2025-11-02: New York's wall clock reads 01:30 for the second time.
  const secondPass = new Date('2025-11-02T06:30:00.200Z');

  it.each([
    [
      'hourly/5',
      { frequency: 'hourly', interval: 5 },
      ['2025-11-02T06:30:01.000Z', '2025-11-02T11:30:01.000Z'],
    ],
    [
      'hourly/1',
      { frequency: 'hourly', interval: 1 },
      ['2025-11-02T06:30:01.000Z', '2025-11-02T07:30:01.000Z'],
    ],
    [
      'minutely/7',
      { frequency: 'minutely', interval: 7 },
      ['2025-11-02T06:30:01.000Z', '2025-11-02T06:37:01.000Z'],
    ],
  ])('%s still fires first at the creation instant, the cadence unshifted', (_name, input, expected) => {
    const rule = normalizeRecurrence({ ...input, time_zone: 'America/New_York' }, { now: secondPass });
    expect(nextOccurrences(rule, secondPass, 2).occurrences.map((d) => d.toISOString())).toEqual(expected);
  });

  it('an as-soon-as-possible no_repeat is written in UTC, so it still fires', () => {
    const rule = normalizeRecurrence(
      { frequency: 'no_repeat', time_zone: 'America/New_York' },
      { now: secondPass },
    );
    expect(rule).toMatchObject({ time_zone: 'UTC', start_date: '2025-11-02', time_of_day: '06:30:01' });
    expect(nextOccurrence(rule, secondPass).at).toEqual(new Date('2025-11-02T06:30:01Z'));
  });

  it('outside an overlap the default is the rounded creation instant itself, in the zone', () => {
    const rule = normalizeRecurrence(
      { frequency: 'hourly', interval: 5, time_zone: 'America/New_York' },
      { now: new Date('2025-11-02T08:30:00.200Z') },
    );
    expect(rule).toMatchObject({ start_date: '2025-11-02', time_of_day: '03:30:01' });
  });
});

describe('an end_date before a defaulted start_date', () => {
  it('is valid: the rule is stored and never fires, because its end date is in the past', () => {
    const rule = normalizeRecurrence(
      { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00', end_date: '2020-01-01' },
      { now: NOW },
    );
    expect(rule).toMatchObject({ start_date: '2025-01-04', end_date: '2020-01-01' });
    expect(nextOccurrence(rule, NOW)).toEqual({ at: null, reason: NoOccurrenceReason.EndDatePassed });
  });
});

describe('fields that do not belong to the frequency are ignored and cleared', () => {
  it('clears day_of_month from a weekly rule without validating it', () => {
    const r = normalizeRecurrence(
      {
        frequency: 'weekly',
        interval: 1,
        time_zone: 'UTC',
        time_of_day: '10:00',
        day: ['monday'],
        day_of_month: 'not even an array',
        month_of_year: [13],
      },
      { now: NOW },
    );
    expect(r).not.toHaveProperty('day_of_month');
    expect(r).not.toHaveProperty('month_of_year');
  });

  it('clears day_of_month from a monthly rule on the nth weekday, and week_start from a daily rule', () => {
    const monthly = normalizeRecurrence(
      {
        frequency: 'monthly',
        interval: 1,
        time_zone: 'UTC',
        time_of_day: '10:00',
        day_of_week: true,
        day_of_week_index: 2,
        day_of_week_day: 'tuesday',
        day_of_month: [99],
      },
      { now: NOW },
    );
    expect(monthly).not.toHaveProperty('day_of_month');
    const daily = normalizeRecurrence(
      {
        frequency: 'daily',
        interval: 1,
        time_zone: 'UTC',
        time_of_day: '10:00',
        week_start: 'funday',
        day: [],
      },
      { now: NOW },
    );
    expect(Object.keys(daily).sort()).toEqual([
      'disabled',
      'frequency',
      'interval',
      'start_date',
      'time_of_day',
      'time_zone',
    ]);
  });

  it('clears interval and end_date from a no_repeat rule', () => {
    const r = normalizeRecurrence(
      { frequency: 'no_repeat', interval: 0, end_date: 'x', time_zone: 'UTC', start_date: '2025-02-01' },
      { now: NOW },
    );
    expect(r).not.toHaveProperty('interval');
    expect(r).not.toHaveProperty('end_date');
  });
});

describe('validation messages name the field and the rule', () => {
  const weekly = {
    frequency: 'weekly',
    interval: 1,
    time_zone: 'UTC',
    time_of_day: '10:00',
    day: ['monday'],
  };
  const monthly = {
    frequency: 'monthly',
    interval: 1,
    time_zone: 'UTC',
    time_of_day: '10:00',
    day_of_month: [1],
  };
  const monthlyNth = { ...monthly, day_of_week: true, day_of_week_index: 1, day_of_week_day: 'monday' };
  const yearly = {
    frequency: 'yearly',
    interval: 1,
    time_zone: 'UTC',
    time_of_day: '10:00',
    month_of_year: [1],
  };

  it.each([
    [{}, 'Frequency is required'],
    [
      { frequency: 'fortnightly' },
      'Frequency must be one of no_repeat, minutely, hourly, daily, weekly, monthly, yearly',
    ],
    [{ ...weekly, interval: undefined }, 'Interval is required'],
    [{ ...weekly, interval: 1.5 }, 'Interval must be an integer'],
    [{ ...weekly, interval: '2' }, 'Interval must be an integer'],
    [{ ...weekly, interval: 0 }, 'Interval must be greater than or equal to 1'],
    [{ ...weekly, time_zone: undefined }, 'Time zone is required'],
    [{ frequency: 'no_repeat', start_date: '2025-02-01' }, 'Time zone is required'],
    [{ ...weekly, time_zone: 'Mars/Base' }, 'Time zone "Mars/Base" is not a valid IANA time zone'],
    [{ ...weekly, start_date: '04/01/2025' }, 'Start date must be a date in the form YYYY-MM-DD'],
    [{ ...weekly, start_date: '2025-02-30' }, 'Start date must be a date in the form YYYY-MM-DD'],
    [{ ...weekly, end_date: '2025-13-01' }, 'End date must be a date in the form YYYY-MM-DD'],
    [
      { ...weekly, start_date: '2025-02-01', end_date: '2025-01-31' },
      'End date must be on or after the start date',
    ],
    [{ ...weekly, time_of_day: undefined }, 'Time of day is required'],
    [{ ...weekly, time_of_day: '25:00' }, 'Time of day must be a time in the form HH:MM or HH:MM:SS'],
    [{ ...weekly, time_of_day: '9am' }, 'Time of day must be a time in the form HH:MM or HH:MM:SS'],
    [{ ...weekly, day: undefined }, 'Day is required'],
    [{ ...weekly, day: [] }, 'Day must contain at least one weekday'],
    [{ ...weekly, day: ['monday', 'caturday'] }, 'Day must contain only weekday names (monday to sunday)'],
    [{ ...weekly, week_start: 'friday' }, 'Week start must be monday or sunday'],
    [{ ...monthly, day_of_month: undefined }, 'Day of month is required'],
    [{ ...monthly, day_of_month: [] }, 'Day of month must contain at least one day'],
    [{ ...monthly, day_of_month: [0] }, 'Day of month must contain only 1 to 31 or -1'],
    [{ ...monthly, day_of_month: [32] }, 'Day of month must contain only 1 to 31 or -1'],
    [{ ...monthly, day_of_week: 'yes' }, 'Day of week must be true or false'],
    [{ ...monthlyNth, day_of_week_index: 5 }, 'Day of week index must be one of 1, 2, 3, 4 or -1'],
    [{ ...monthlyNth, day_of_week_index: undefined }, 'Day of week index is required'],
    [
      { ...monthlyNth, day_of_week_day: 'Monday' },
      'Day of week day must be a weekday name (monday to sunday)',
    ],
    [{ ...yearly, month_of_year: [] }, 'Month of year must contain at least one month'],
    [{ ...yearly, month_of_year: [0, 13] }, 'Month of year must contain only 1 to 12'],
    [{ ...yearly, month_of_year: undefined }, 'Month of year is required'],
    [{ ...weekly, disabled: 'no' }, 'Disabled must be true or false'],
    ['weekly', 'Recurrence must be an object'],
  ] as [unknown, string][])('%j -> %s', (input, message) => {
    expect(messagesOf(input)).toContain(message);
  });

  it('collects every message, not only the first', () => {
    expect(
      messagesOf({
        ...weekly,
        interval: 0,
        time_of_day: '25:00',
        day: [],
        start_date: '2025-02-01',
        end_date: '2025-01-01',
      }),
    ).toEqual([
      'Interval must be greater than or equal to 1',
      'Time of day must be a time in the form HH:MM or HH:MM:SS',
      'Day must contain at least one weekday',
      'End date must be on or after the start date',
    ]);
  });

  it('throws a RecurrenceValidationError carrying the messages', () => {
    let caught: unknown;
    try {
      normalizeRecurrence({ ...weekly, interval: 0 }, { now: NOW });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RecurrenceValidationError);
    expect(caught).toMatchObject({
      name: 'RecurrenceValidationError',
      messages: ['Interval must be greater than or equal to 1'],
      message: 'Interval must be greater than or equal to 1',
    });
  });

  it('never falls back to UTC for an unknown zone, even with a default zone configured', () => {
    expect(messagesOf({ ...weekly, time_zone: 'Mars/Base' }, 'UTC')).toEqual([
      'Time zone "Mars/Base" is not a valid IANA time zone',
    ]);
  });
});

describe('normalizeRecurrence does not mutate its input', () => {
  it('leaves a deeply frozen input intact and returns fresh arrays', () => {
    const input = {
      frequency: 'weekly',
      interval: 2,
      time_zone: 'London',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
      day_of_month: [1],
    } satisfies RecurrenceInput & { day_of_month: number[] };
    const snapshot = structuredClone(input);
    Object.freeze(input.day);
    Object.freeze(input.day_of_month);
    Object.freeze(input);
    const r = normalizeRecurrence(input, { now: NOW, defaultTimeZone: 'UTC' });
    expect(input).toEqual(snapshot);
    expect(r.time_zone).toBe('Europe/London');
    expect(r.frequency === 'weekly' && r.day).not.toBe(input.day);
  });
});
