import { ParameterProblems } from '../../../src/nodes/errors';
import { formatScheduleTimestamp, parseUtcTimestamp, resolveRunInstant } from '../../../src/nodes/timing';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const DAY = 24 * 3600;

describe('the time of a scheduled run (D1)', () => {
  test.each([
    ['timestamp alone', { scheduleTimestamp: '2026-12-03T08:30:15.250' }, '2026-12-03T08:30:15.250Z'],
    ['timestamp with Z', { scheduleTimestamp: '2026-12-03T08:30:15.250Z' }, '2026-12-03T08:30:15.250Z'],
    ['timestamp without fraction', { scheduleTimestamp: '2026-12-03T08:30:15' }, '2026-12-03T08:30:15.000Z'],
    ['delay alone is from now', { delay: 90 }, '2026-12-02T10:01:30.000Z'],
    [
      'delay is added to the timestamp',
      { scheduleTimestamp: '2026-12-03T00:00:00.000', delay: 1.5 },
      '2026-12-03T00:00:01.500Z',
    ],
    ['neither is as soon as possible', {}, '2026-12-02T10:00:00.000Z'],
    ['exactly maximumDelay ahead', { delay: 10 * DAY }, '2026-12-12T10:00:00.000Z'],
  ])('%s', (_name, request, expected) => {
    expect(resolveRunInstant(request, NOW, 10 * DAY)).toEqual({ instant: new Date(expected) });
  });

  test.each([
    ['2026-02-30T00:00:00.000'],
    ['2026-12-03 08:30:15.250'],
    ['2026-12-03T24:00:00.000'],
    ['2026-12-03T08:30:15.2500'],
    ['2026-12-03T08:30:15+01:00'],
    [''],
  ])('%j is not a timestamp: the problem names scheduleTimestamp', (text) => {
    expect(parseUtcTimestamp(text)).toBeUndefined();
    expect(resolveRunInstant({ scheduleTimestamp: text }, NOW, 10 * DAY)).toEqual({
      problem: ParameterProblems.timestampFormat,
    });
  });

  test('beyond maximumDelay either way is refused with the configured figure', () => {
    const problem = {
      problem: 'scheduleTimestamp plus delay must lie within maximumDelay (60 seconds) of now',
    };
    expect(resolveRunInstant({ delay: 60.001 }, NOW, 60)).toEqual(problem);
    expect(resolveRunInstant({ scheduleTimestamp: '2026-12-02T09:58:59.999' }, NOW, 60)).toEqual(problem);
  });

  test('answers use the seed format, UTC with milliseconds and no zone suffix', () => {
    expect(formatScheduleTimestamp(new Date('2026-12-03T08:30:15.250Z'))).toBe('2026-12-03T08:30:15.250');
  });
});
