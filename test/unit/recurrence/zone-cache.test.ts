/**
 * Time-zone names are tenant input: a name over 64 characters is refused before anything resolves it, only
 * valid names are remembered, and every zone cache stays within its bound, whatever names arrive.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  MAX_CACHED_ZONE_NAMES,
  MAX_CACHED_ZONE_TABLES,
  MAX_TIME_ZONE_NAME_LENGTH,
  localToInstant,
  nextOccurrence,
  normalizeRecurrence,
  offsetAt,
  resolveTimeZone,
  validateRecurrence,
  zoneCacheSizes,
} from '../../../src/recurrence';
import { BoundedCache } from '../../../src/recurrence/bounded-cache';

const NOW = new Date('2025-01-04T08:00:00Z');
const daily = (time_zone: string) => ({ frequency: 'daily', interval: 1, time_zone, time_of_day: '09:00' });
const messagesOf = (input: unknown) => {
  const result = validateRecurrence(input, { now: NOW });
  return result.success ? [] : result.messages;
};

describe('a time-zone name longer than 64 characters', () => {
  it('is refused with a message naming the field, never quoting the name', () => {
    expect(MAX_TIME_ZONE_NAME_LENGTH).toBe(64);
    expect(messagesOf(daily(`Europe/${'x'.repeat(58)}`))).toEqual([
      'Time zone must be at most 64 characters',
    ]);
    expect(messagesOf(daily('x'.repeat(250 * 1024)))).toEqual(['Time zone must be at most 64 characters']);
  });

  it('is refused by the resolver too, while a 64-character unknown name is judged (and quoted) as usual', () => {
    expect(resolveTimeZone(`Europe/${'x'.repeat(58)}`)).toBeUndefined();
    const sixtyFour = `Europe/${'x'.repeat(57)}`;
    expect(sixtyFour).toHaveLength(64);
    expect(messagesOf(daily(sixtyFour))).toEqual([`Time zone "${sixtyFour}" is not a valid IANA time zone`]);
  });
});

describe('the zone caches', () => {
  it('remember no invalid name', () => {
    resolveTimeZone('Europe/London');
    const before = zoneCacheSizes().names;
    for (let i = 0; i < 400; i++) expect(resolveTimeZone(`Mars/Base_${i}`)).toBeUndefined();
    // Rails lookups see own keys only: an inherited property is no zone name.
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(resolveTimeZone(name)).toBeUndefined();
    }
    expect(zoneCacheSizes().names).toBe(before);
  });

  it('stay bounded under letter-case variants of a valid name, which all stay valid', () => {
    // Intl accepts a zone name in any letter case, so each variant is a distinct valid name to remember.
    const letters = [...'europelondon'];
    const variants = Array.from({ length: 2 * MAX_CACHED_ZONE_NAMES }, (_, i) => {
      const cased = letters.map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('');
      return `${cased.slice(0, 6)}/${cased.slice(6)}`;
    });
    expect(new Set(variants).size).toBe(variants.length);
    for (const name of variants) expect(resolveTimeZone(name)).toBe('Europe/London');
    expect(zoneCacheSizes().names).toBe(MAX_CACHED_ZONE_NAMES);
  });

  it('keep at most MAX_CACHED_ZONE_TABLES offset tables, and an evicted zone still answers exactly', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    expect(zones.length).toBeGreaterThan(MAX_CACHED_ZONE_TABLES);
    const instant = Date.parse('2025-07-01T12:00:00Z');
    const first = offsetAt('America/New_York', instant);
    for (const zone of zones) offsetAt(zone, instant);
    expect(zoneCacheSizes().tables).toBe(MAX_CACHED_ZONE_TABLES);
    // New York's table was evicted long ago; rebuilt, it gives the same answers.
    expect(offsetAt('America/New_York', instant)).toBe(first);
    expect(first).toBe(-4 * 3_600_000);
    expect(
      new Date(localToInstant('America/New_York', Date.parse('2025-03-09T02:30:00Z'))).toISOString(),
    ).toBe('2025-03-09T07:30:00.000Z');
  });

  it('still resolve and evaluate valid zones after a flood of names', () => {
    for (let i = 0; i < 1000; i++) resolveTimeZone(`Nowhere/${i}`);
    expect(resolveTimeZone('Eastern Time (US & Canada)')).toBe('America/New_York');
    expect(resolveTimeZone('europe/london')).toBe('Europe/London');
    const rule = normalizeRecurrence(daily('Australia/Lord_Howe'), { now: new Date('2025-10-03T00:00:00Z') });
    // 09:00 on 10-05 is the first day of daylight time there (UTC+11).
    expect(nextOccurrence(rule, new Date('2025-10-04T16:00:00Z')).at?.toISOString()).toBe(
      '2025-10-04T22:00:00.000Z',
    );
  });
});

describe('400 invalid 250 KB names, measured in a child process after a full collection', () => {
  it('leave the heap within 4 MiB of where it was and the name cache unchanged', () => {
    const probe = path.join(__dirname, 'zone-heap-probe.ts');
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], {
      cwd: path.join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
    });
    const figures = JSON.parse(output) as {
      before: number;
      after: number;
      messages: string[];
      caches: { names: number; tables: number };
    };
    expect(figures.messages).toEqual(['Time zone must be at most 64 characters']);
    // Names cached: the two zones of the warm-up (Europe/London valid, Mars/Base not) leave one.
    expect(figures.caches.names).toBe(1);
    // Before the bound the same flood kept ~96 MB (100 MB of names); 4 MiB is noise, not a name.
    expect(figures.after - figures.before).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});

describe('BoundedCache', () => {
  it('forgets the least recently used entry first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
