/** Cadences (FEATURES.md C2): "every N units" compiled to the A1 recurrence, the minimum period, previews. */
import { loadSettings } from '../../../src/config';
import { formatUtcSeconds } from '../../../src/dispatch/payload';
import {
  cadenceOccurrences,
  cadenceText,
  compileCadence,
  sameCadence,
  type Cadence,
} from '../../../src/workspace/cadence';

const NOW = new Date('2025-03-01T00:00:00Z');
const MIN = loadSettings({}).minPeriodMinutes;

function occurrences(cadence: Record<string, unknown>, count: number, minPeriodMinutes = MIN): string[] {
  const result = compileCadence(cadence, { now: NOW, minPeriodMinutes });
  if (!result.success) throw new Error(result.messages.join('; '));
  return cadenceOccurrences(result.recurrence, NOW, count).occurrences.map(formatUtcSeconds);
}

describe('compileCadence', () => {
  test.each([
    [
      'every 15 minutes',
      {
        start_date: '2025-03-09',
        start_time: '01:50',
        time_zone: 'America/New_York',
        interval: 15,
        unit: 'minute',
      },
      ['2025-03-09T06:50:00Z', '2025-03-09T07:05:00Z', '2025-03-09T07:20:00Z'],
    ],
    [
      'every 5 hours across the spring-forward change',
      {
        start_date: '2025-03-08',
        start_time: '20:00',
        time_zone: 'America/New_York',
        interval: 5,
        unit: 'hour',
      },
      ['2025-03-09T01:00:00Z', '2025-03-09T06:00:00Z', '2025-03-09T11:00:00Z'],
    ],
    [
      'every day at 02:30 in New York (the gap takes the offset before it)',
      { start_date: '2025-03-07', start_time: '02:30', time_zone: 'America/New_York', unit: 'day' },
      ['2025-03-07T07:30:00Z', '2025-03-08T07:30:00Z', '2025-03-09T07:30:00Z', '2025-03-10T06:30:00Z'],
    ],
    [
      'every 2 months on the start day',
      { start_date: '2025-03-05', start_time: '09:00', time_zone: 'UTC', interval: 2, unit: 'month' },
      ['2025-03-05T09:00:00Z', '2025-05-05T09:00:00Z', '2025-07-05T09:00:00Z'],
    ],
    [
      'once',
      {
        start_date: '2025-04-01',
        start_time: '12:00:30',
        time_zone: 'Europe/London',
        interval: 7,
        unit: 'once',
      },
      ['2025-04-01T11:00:30Z'],
    ],
  ])('%s', (_name, cadence, expected) => {
    expect(occurrences(cadence, 4).slice(0, expected.length)).toEqual(expected);
  });

  test('once fires once', () => {
    const once = { start_date: '2025-04-01', start_time: '12:00', time_zone: 'UTC', unit: 'once' };
    expect(occurrences(once, 5)).toEqual(['2025-04-01T12:00:00Z']);
  });

  test('refuses a cadence faster than the floor with exactly the message, the number from the setting', () => {
    const fast = {
      start_date: '2025-03-09',
      start_time: '01:50',
      time_zone: 'UTC',
      interval: 14,
      unit: 'minute',
    };
    expect(compileCadence(fast, { now: NOW, minPeriodMinutes: MIN })).toEqual({
      success: false,
      messages: ['Schedules cannot run more often than every 15 minutes'],
    });
    expect(
      compileCadence({ ...fast, interval: 1, unit: 'hour' }, { now: NOW, minPeriodMinutes: 90 }),
    ).toEqual({
      success: false,
      messages: ['Schedules cannot run more often than every 90 minutes'],
    });
    expect(compileCadence({ ...fast, interval: 15 }, { now: NOW, minPeriodMinutes: MIN }).success).toBe(true);
    expect(
      compileCadence({ ...fast, unit: 'once', interval: 1 }, { now: NOW, minPeriodMinutes: 10_000 }).success,
    ).toBe(true);
  });

  test('the default floor is 15 minutes and RUNBOOK_SCHEDULER_MIN_PERIOD_MINUTES sets it', () => {
    expect(MIN).toBe(15);
    expect(loadSettings({ RUNBOOK_SCHEDULER_MIN_PERIOD_MINUTES: '60' }).minPeriodMinutes).toBe(60);
    expect(() => loadSettings({ RUNBOOK_SCHEDULER_MIN_PERIOD_MINUTES: '0' })).toThrow(
      'RUNBOOK_SCHEDULER_MIN_PERIOD_MINUTES must be a number >= 1, got "0"',
    );
  });

  test('names each bad field', () => {
    const result = compileCadence(
      { start_time: '9am', time_zone: 'Mars/Base', interval: 0, unit: 'week' },
      { now: NOW, minPeriodMinutes: MIN },
    );
    expect(result).toEqual({
      success: false,
      messages: [
        'Start date is required',
        'Start time must be a time HH:MM or HH:MM:SS',
        'Interval must be greater than or equal to 1',
        'Unit must be one of once, minute, hour, day, month',
      ],
    });
    const zone = compileCadence(
      { start_date: '2025-03-09', start_time: '01:50', time_zone: 'Mars/Base', unit: 'day' },
      { now: NOW, minPeriodMinutes: MIN },
    );
    expect(zone).toEqual({
      success: false,
      messages: ['Time zone "Mars/Base" is not a valid IANA time zone'],
    });
  });

  test('does not mutate its input', () => {
    const input = { start_date: '2025-03-09', start_time: '01:50', time_zone: 'UTC', unit: 'day' };
    const copy = structuredClone(input);
    compileCadence(input, { now: NOW, minPeriodMinutes: MIN });
    expect(input).toEqual(copy);
  });
});

test('cadenceText and sameCadence', () => {
  const c: Cadence = {
    start_date: '2026-12-03',
    start_time: '09:00',
    time_zone: 'UTC',
    interval: 2,
    unit: 'hour',
  };
  expect(cadenceText(c)).toBe('every 2 hours from 2026-12-03 09:00 UTC');
  expect(cadenceText({ ...c, interval: 1, unit: 'day' })).toBe('every day from 2026-12-03 09:00 UTC');
  expect(cadenceText({ ...c, unit: 'once' })).toBe('once at 2026-12-03 09:00 UTC');
  expect(sameCadence(c, { ...c })).toBe(true);
  expect(sameCadence(c, { ...c, interval: 3 })).toBe(false);
  expect(sameCadence({ ...c, unit: 'once' }, { ...c, unit: 'once', interval: 9 })).toBe(true);
});
