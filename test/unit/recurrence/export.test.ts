import { RRule } from 'rrule';
import {
  normalizeRecurrence,
  recurrenceJsonSchema,
  toRRuleText,
  type RecurrenceInput,
} from '../../../src/recurrence';

const NOW = new Date('2025-01-01T00:00:00Z');
const rule = (input: RecurrenceInput) => normalizeRecurrence(input, { now: NOW });

describe('toRRuleText', () => {
  it.each([
    [
      {
        frequency: 'weekly',
        interval: 2,
        time_zone: 'UTC',
        start_date: '2025-01-04',
        time_of_day: '10:00',
        day: ['saturday', 'sunday'],
      },
      'DTSTART:20250104T100000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;WKST=MO',
    ],
    [
      {
        frequency: 'monthly',
        interval: 1,
        time_zone: 'America/New_York',
        start_date: '2025-01-01',
        time_of_day: '17:00',
        day_of_week: true,
        day_of_week_index: -1,
        day_of_week_day: 'friday',
      },
      'DTSTART;TZID=America/New_York:20250101T170000\nRRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR',
    ],
    [
      {
        frequency: 'monthly',
        interval: 1,
        time_zone: 'UTC',
        start_date: '2025-01-01',
        time_of_day: '09:00',
        day_of_month: [31, -1],
      },
      'DTSTART:20250101T090000Z\nRRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=31,-1',
    ],
    [
      {
        frequency: 'yearly',
        interval: 1,
        time_zone: 'UTC',
        start_date: '2024-02-29',
        time_of_day: '12:00',
        month_of_year: [2],
      },
      'DTSTART:20240229T120000Z\nRRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=29',
    ],
    [
      {
        frequency: 'daily',
        interval: 1,
        time_zone: 'America/New_York',
        start_date: '2025-03-01',
        end_date: '2025-03-03',
        time_of_day: '23:30',
      },
      'DTSTART;TZID=America/New_York:20250301T233000\nRRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20250304T045959Z',
    ],
    [
      {
        frequency: 'minutely',
        interval: 7,
        time_zone: 'UTC',
        start_date: '2025-03-09',
        time_of_day: '01:50',
      },
      'DTSTART:20250309T015000Z\nRRULE:FREQ=MINUTELY;INTERVAL=7',
    ],
    [
      { frequency: 'no_repeat', time_zone: 'UTC', start_date: '2025-03-09', time_of_day: '01:50:30' },
      'DTSTART:20250309T015030Z\nRRULE:FREQ=DAILY;COUNT=1',
    ],
  ] as [RecurrenceInput, string][])('%j', (input, text) => {
    expect(toRRuleText(rule(input))).toBe(text);
  });

  it('produces text that rrule.js parses back to the same first occurrences for a UTC rule', () => {
    const r = rule({
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2025-01-04',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
    });
    const parsed = RRule.fromString(toRRuleText(r));
    expect(parsed.all((_, i) => i < 4).map((d) => d.toISOString())).toEqual([
      '2025-01-04T10:00:00.000Z',
      '2025-01-05T10:00:00.000Z',
      '2025-01-18T10:00:00.000Z',
      '2025-01-19T10:00:00.000Z',
    ]);
  });
});

describe('recurrenceJsonSchema', () => {
  it('is a JSON Schema object listing every frequency', () => {
    const schema = recurrenceJsonSchema();
    expect(schema).toHaveProperty('$schema');
    const text = JSON.stringify(schema);
    const frequencies = [...text.matchAll(/"frequency":\{"type":"string","const":"(\w+)"/g)].map((m) => m[1]);
    expect(new Set(frequencies)).toEqual(
      new Set(['no_repeat', 'minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly']),
    );
    expect(JSON.parse(text)).toEqual(schema);
  });
});
