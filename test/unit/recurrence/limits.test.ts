/**
 * Lists in a recurrence hold at most as many entries as there are values to name: a day named twice still
 * fires once (RECURRENCE.md semantics 6), but no list grows with what a tenant sends.
 */
import { WEEKDAYS, nextOccurrences, normalizeRecurrence, validateRecurrence } from '../../../src/recurrence';

const NOW = new Date('2025-01-04T08:00:00Z');
const base = { interval: 1, time_zone: 'UTC', time_of_day: '09:00', start_date: '2025-01-01' };
const weekly = (day: unknown) => ({ frequency: 'weekly', ...base, day });
const monthly = (day_of_month: unknown) => ({ frequency: 'monthly', ...base, day_of_month });
const yearly = (month_of_year: unknown) => ({ frequency: 'yearly', ...base, month_of_year });
const messagesOf = (input: unknown) => {
  const result = validateRecurrence(input, { now: NOW });
  return result.success ? [] : result.messages;
};
const ALL_DAYS_OF_MONTH = [-1, ...Array.from({ length: 31 }, (_, i) => i + 1)];

test.each([
  ['day', weekly([...WEEKDAYS, 'monday']), 'Day must contain at most 7 weekdays'],
  [
    'day (10,000 entries)',
    weekly(Array<string>(10_000).fill('monday')),
    'Day must contain at most 7 weekdays',
  ],
  ['day_of_month', monthly([...ALL_DAYS_OF_MONTH, 1]), 'Day of month must contain at most 32 days'],
  [
    'month_of_year',
    yearly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12]),
    'Month of year must contain at most 12 months',
  ],
])('%s longer than its values is refused, naming the field', (_field, input, message) => {
  expect(messagesOf(input)).toEqual([message]);
});

test('a full list is accepted, and so is a list that names a value twice: it fires once', () => {
  expect(messagesOf(weekly([...WEEKDAYS]))).toEqual([]);
  expect(messagesOf(monthly(ALL_DAYS_OF_MONTH))).toEqual([]);
  expect(messagesOf(yearly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toEqual([]);
  const twice = normalizeRecurrence(weekly(['monday', 'monday', 'friday']), { now: NOW });
  expect(nextOccurrences(twice, NOW, 3).occurrences.map((d) => d.toISOString())).toEqual([
    '2025-01-06T09:00:00.000Z',
    '2025-01-10T09:00:00.000Z',
    '2025-01-13T09:00:00.000Z',
  ]);
});

test('an over-long list of invalid entries is refused for its length alone, not once per entry', () => {
  expect(messagesOf(weekly(Array<string>(10_000).fill('caturday')))).toEqual([
    'Day must contain at most 7 weekdays',
  ]);
  expect(messagesOf(weekly(['caturday']))).toEqual([
    'Day must contain only weekday names (monday to sunday)',
  ]);
});
