import { occurrenceType, queuedOccurrence, upcomingOccurrences } from '../../../src/instances/occurrences';
import { validateRecurrence, type Recurrence } from '../../../src/recurrence';

const NOW = new Date('2026-03-01T12:00:00Z');

function rule(raw: Record<string, unknown>): Recurrence {
  const result = validateRecurrence(raw, { now: NOW });
  if (!result.success) throw new Error(result.messages.join('; '));
  return result.recurrence;
}

const HOURLY = rule({
  frequency: 'hourly',
  interval: 2,
  time_zone: 'UTC',
  start_date: '2026-03-01',
  time_of_day: '13:00:00',
});

describe('upcoming occurrences', () => {
  test('are the engine instants after now, less the aborted ones', () => {
    const aborted = [new Date('2026-03-01T15:00:00Z')];
    expect(upcomingOccurrences(HOURLY, NOW, 3, aborted).map((t) => t.toISOString())).toEqual([
      '2026-03-01T13:00:00.000Z',
      '2026-03-01T17:00:00.000Z',
      '2026-03-01T19:00:00.000Z',
    ]);
  });

  test('the queued one skips a run of aborted instants; a disabled rule is read as enabled', () => {
    const aborted = Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2026, 2, 1, 13 + 2 * i)));
    expect(queuedOccurrence({ ...HOURLY, disabled: true }, NOW, aborted)).toEqual(
      new Date(Date.UTC(2026, 2, 1, 213)),
    );
  });

  test('a rule with no further occurrence has none queued, and the count stops there', () => {
    const once = rule({
      frequency: 'no_repeat',
      time_zone: 'UTC',
      start_date: '2026-03-02',
      time_of_day: '08:00:00',
    });
    expect(upcomingOccurrences(once, NOW, 1000)).toEqual([new Date('2026-03-02T08:00:00Z')]);
    expect(queuedOccurrence(once, new Date('2026-03-02T08:00:00Z'))).toBeNull();
    expect(occurrenceType(once)).toBe('Once');
    expect(occurrenceType(HOURLY)).toBe('Scheduled');
  });

  test('1,000 of them are computed', () => {
    expect(upcomingOccurrences(HOURLY, NOW, 1000)).toHaveLength(1000);
  });
});
