import {
  excludedInstants,
  exclusionOf,
  instantOfExclusion,
  isExcluded,
  keepingExclusions,
  withExclusion,
} from '../../../src/instances/exclusions';

const T1 = new Date('2026-03-08T07:30:05Z');
const T2 = new Date('2026-03-09T07:30:05Z');
const PAST = new Date('2026-01-01T00:00:00Z');

describe('exclusions of aborted occurrences', () => {
  test('an exclusion names exactly one UTC second and reads back as that instant', () => {
    expect(instantOfExclusion(exclusionOf(T1))).toEqual(T1);
    expect(exclusionOf(T1).second).toEqual([{ start: 5, end: 5, step: 1 }]);
  });

  test('withExclusion adds an instant, keeps the rest of the spec and drops past exclusions', () => {
    const spec = {
      cronString: ['0 0 * * *'],
      excludeStructuredCalendar: [exclusionOf(PAST)],
    };
    const next = withExclusion(spec, T1, new Date('2026-02-01T00:00:00Z'));
    expect(next.cronString).toBe(spec.cronString);
    expect(excludedInstants(next)).toEqual([T1]);
    expect(isExcluded(next, T1)).toBe(true);
    expect(isExcluded(next, T2)).toBe(false);
    expect(excludedInstants(spec)).toEqual([PAST]);
  });

  test('a replaced spec keeps the exclusions of the spec it replaces; one bringing its own is sent as is', () => {
    const previous = withExclusion({}, T1, PAST);
    expect(excludedInstants(keepingExclusions({ structuredCalendar: [] }, previous))).toEqual([T1]);
    const own = withExclusion(previous, T2, PAST);
    expect(excludedInstants(keepingExclusions(own, previous))).toEqual([T1, T2]);
    expect(keepingExclusions(null, previous)).toBeNull();
    const bare = { structuredCalendar: [] };
    expect(keepingExclusions(bare, {})).toBe(bare);
  });
});
