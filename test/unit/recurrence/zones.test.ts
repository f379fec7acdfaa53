import fc from 'fast-check';
import {
  BUILD_BUCKET_AFTER,
  RAILS_TIME_ZONES,
  localToInstant,
  offsetAt,
  resolveTimeZone,
} from '../../../src/recurrence';

/** Offset straight from Intl, the reference the cached tables must reproduce. */
function intlOffset(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

describe('resolveTimeZone', () => {
  it.each([
    ['Europe/Amsterdam', 'Europe/Amsterdam'],
    ['UTC', 'UTC'],
    ['europe/london', 'Europe/London'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
    ['London', 'Europe/London'],
    ['Eastern Time (US & Canada)', 'America/New_York'],
    ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
    ['Amsterdam', 'Europe/Amsterdam'],
    ['Hawaii', 'Pacific/Honolulu'],
  ])('resolves %s to %s', (name, zone) => {
    expect(resolveTimeZone(name)).toBe(zone);
  });

  it.each(['Mars/Base', '', ' UTC', '+01:00', 'Eastern Time'])('rejects %j', (name) => {
    expect(resolveTimeZone(name)).toBeUndefined();
  });

  it('maps every Rails name to a zone this runtime knows', () => {
    expect(Object.keys(RAILS_TIME_ZONES).length).toBeGreaterThanOrEqual(150);
    for (const name of Object.keys(RAILS_TIME_ZONES)) expect(resolveTimeZone(name)).toBeDefined();
  });
});

describe('offsetAt agrees with Intl', () => {
  it.each([
    ['America/New_York', '2025-03-09T06:59:59Z', -5],
    ['America/New_York', '2025-03-09T07:00:00Z', -4],
    ['America/New_York', '2025-11-02T05:59:59Z', -4],
    ['America/New_York', '2025-11-02T06:00:00Z', -5],
    ['Australia/Lord_Howe', '2025-10-04T15:29:59Z', 10.5],
    ['Australia/Lord_Howe', '2025-10-04T15:30:00Z', 11],
  ])('%s at %s is UTC%d', (zone, at, hours) => {
    expect(offsetAt(zone, Date.parse(at))).toBe(hours * 3_600_000);
  });

  it('at random instants in zones with odd histories', () => {
    const zone = fc.constantFrom(
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Pacific/Apia',
      'America/Santiago',
      'Asia/Kathmandu',
      'Africa/Casablanca',
      'Europe/Dublin',
    );
    const instant = fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2060, 0, 1) });
    fc.assert(
      fc.property(zone, instant, (z, t) => {
        expect(offsetAt(z, t)).toBe(intlOffset(z, t));
      }),
      { numRuns: 300 },
    );
  });
});

describe('offsetAt around year 0, where Intl writes years before 1 CE as "N BC"', () => {
  it('agrees with formatToParts read with its era, local mean time included', () => {
    const reference = (zone: string, instant: number) => {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }).formatToParts(instant);
      const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
      const year = parts.find((p) => p.type === 'era')?.value === 'BC' ? 1 - get('year') : get('year');
      const wall = new Date(0);
      wall.setUTCFullYear(year, get('month') - 1, get('day'));
      wall.setUTCHours(get('hour'), get('minute'), get('second'));
      return wall.getTime() - Math.floor(instant / 1000) * 1000;
    };
    const start = new Date(0).setUTCFullYear(-2, 0, 1);
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Asia/Kathmandu', 'Europe/Amsterdam', 'UTC'),
        fc.integer({ min: start, max: start + 6 * 366 * 86_400_000 }),
        (zone, instant) => {
          expect(offsetAt(zone, instant)).toBe(reference(zone, instant));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('offsetAt answers the same before and after a zone-year table is built', () => {
  it('at random instants of years whose tables were built by repeated lookups', () => {
    const zones = [
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Apia',
      'Africa/Casablanca',
      'Europe/Dublin',
    ];
    const years = [1916, 1945, 2011, 2025, 2087];
    // The first lookups of a year ask Intl directly; enough of them build that year's table.
    for (const zone of zones) {
      for (const year of years) {
        for (let i = 0; i <= BUILD_BUCKET_AFTER; i++) offsetAt(zone, Date.UTC(year, 6, 1) + i * 1000);
      }
    }
    const instant = fc
      .tuple(fc.constantFrom(...years), fc.integer({ min: 0, max: 365 * 86_400_000 }))
      .map(([year, ms]) => Date.UTC(year, 0, 1) + ms);
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (z, t) => {
        expect(offsetAt(z, t)).toBe(intlOffset(z, t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('localToInstant', () => {
  const wall = (text: string) => Date.parse(`${text}Z`);
  it.each([
    ['America/New_York', '2025-03-09T02:30:00', '2025-03-09T07:30:00Z', 'gap: offset before the gap'],
    [
      'Australia/Lord_Howe',
      '2025-10-05T02:15:00',
      '2025-10-04T15:45:00Z',
      'gap: offset before the 30-minute gap',
    ],
    ['Europe/London', '2025-03-30T01:30:00', '2025-03-30T01:30:00Z', 'gap: offset before the gap'],
    ['America/New_York', '2025-11-02T01:30:00', '2025-11-02T05:30:00Z', 'overlap: the first instant'],
    ['Europe/London', '2025-10-26T01:30:00', '2025-10-26T00:30:00Z', 'overlap: the first instant'],
    ['America/New_York', '2025-07-01T12:00:00', '2025-07-01T16:00:00Z', 'ordinary time'],
  ])('%s %s -> %s (%s)', (zone, local, expected) => {
    expect(new Date(localToInstant(zone, wall(local))).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('round-trips every instant whose wall time is not repeated', () => {
    const zone = fc.constantFrom(
      'America/New_York',
      'Australia/Lord_Howe',
      'Europe/Berlin',
      'Pacific/Chatham',
    );
    fc.assert(
      fc.property(zone, fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (z, raw) => {
        const t = Math.floor(raw / 1000) * 1000;
        const local = t + offsetAt(z, t);
        const back = localToInstant(z, local);
        // Either t itself, or an earlier instant with the same wall time (an overlap takes the first).
        expect(back + offsetAt(z, back)).toBe(local);
        expect(back).toBeLessThanOrEqual(t);
      }),
      { numRuns: 300 },
    );
  });
});
