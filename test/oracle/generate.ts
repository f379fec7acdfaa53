/**
 * Seeded random recurrence cases for the dateutil cross-check (test/oracle/cross-check.ts).
 *
 * Deterministic from the seed (a small PRNG, no clock). Covers every frequency, intervals, weekday subsets,
 * month days (29/30/31/-1 favoured), nth and last weekdays, month sets, end dates, both week starts and the five
 * zones; a large share of the cases (in the three DST zones) start INSIDE a spring-forward gap or a fall-back
 * overlap, with start dates placed so that the transition day is among the occurrences asked for.
 *
 * DST transitions are computed from the zones' rules (nth / last Sunday), not from any time-zone library, so
 * the generator stays independent of both the engine and the oracle.
 */
import type { RecurrenceInput } from '../../src/recurrence';

export const ORACLE_ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
] as const;
export type OracleZone = (typeof ORACLE_ZONES)[number];

export const ORACLE_FREQUENCIES = [
  'no_repeat',
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'yearly',
] as const;
export type OracleFrequency = (typeof ORACLE_FREQUENCIES)[number];

/** Where the generator put the start's wall-clock time: inside a DST gap, inside an overlap, or anywhere. */
export type StartKind = 'gap' | 'overlap' | 'plain';

export interface OracleCase {
  id: number;
  /** The raw input, every clock-dependent field explicit, so normalisation does not depend on `now`. */
  input: RecurrenceInput;
  after: Date;
  count: number;
  zone: OracleZone;
  frequency: OracleFrequency;
  startKind: StartKind;
}

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Standard (winter) UTC offsets in minutes: only used to place `after` roughly near the start. */
const NOMINAL_OFFSET_MIN: Record<OracleZone, number> = {
  'America/New_York': -300,
  'Europe/London': 0,
  'Australia/Lord_Howe': 630,
  'Asia/Kolkata': 330,
  UTC: 0,
};

/** One DST transition: on local `date`, the wall-clock window [fromMin, toMin) is skipped (gap) or repeated. */
export interface Transition {
  zone: OracleZone;
  kind: 'gap' | 'overlap';
  /** Local date, day number (1970-01-01 = 0). */
  day: number;
  fromMin: number;
  toMin: number;
  /** Which Sunday of the month it is: 1, 2 or -1 (last). */
  sundayIndex: 1 | 2 | -1;
}

// ---------------------------------------------------------------------------------------------------------
// Calendar helpers on UTC day numbers (pure integer/Date.UTC arithmetic, zone-free).

const dayOf = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;
const civil = (day: number): { year: number; month: number; day: number } => {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
export const formatDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 0 = Sunday ... 6 = Saturday. */
const weekdayOf = (day: number): number => new Date(day * DAY_MS).getUTCDay();

function nthSunday(year: number, month: number, index: 1 | 2 | -1): number {
  if (index === -1) {
    const last = dayOf(year, month, daysInMonth(year, month));
    return last - weekdayOf(last);
  }
  const first = dayOf(year, month, 1);
  return first + ((7 - weekdayOf(first)) % 7) + 7 * (index - 1);
}

/** DST transitions of the three DST zones, 2024-2027 (current rules of each zone). */
export const TRANSITIONS: readonly Transition[] = (() => {
  const list: Transition[] = [];
  for (let year = 2024; year <= 2027; year++) {
    const add = (
      zone: OracleZone,
      kind: 'gap' | 'overlap',
      month: number,
      idx: 1 | 2 | -1,
      from: number,
      to: number,
    ) =>
      list.push({ zone, kind, day: nthSunday(year, month, idx), fromMin: from, toMin: to, sundayIndex: idx });
    add('America/New_York', 'gap', 3, 2, 120, 180);
    add('America/New_York', 'overlap', 11, 1, 60, 120);
    add('Europe/London', 'gap', 3, -1, 60, 120);
    add('Europe/London', 'overlap', 10, -1, 60, 120);
    add('Australia/Lord_Howe', 'overlap', 4, 1, 90, 120);
    add('Australia/Lord_Howe', 'gap', 10, 1, 120, 150);
  }
  return list;
})();

// ---------------------------------------------------------------------------------------------------------
// PRNG (mulberry32) and helpers.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A non-empty random subset (in the order of `items`), of size in [1, max]. */
  subset<T>(items: readonly T[], max = items.length): T[] {
    const size = this.int(1, Math.min(max, items.length));
    const chosen = new Set<number>();
    while (chosen.size < size) chosen.add(this.int(0, items.length - 1));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, weight] of entries) {
      x -= weight;
      if (x < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }
}

// ---------------------------------------------------------------------------------------------------------

const pad = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM` or `HH:MM:SS` for a minute of the day (plus optional seconds). */
function formatTime(minuteOfDay: number, seconds: number | undefined): string {
  const hm = `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
  return seconds === undefined ? hm : `${hm}:${pad(seconds)}`;
}

/** Rough UTC instant of a local wall time (standard offset): only to place `after` near it. */
function nominalInstant(zone: OracleZone, day: number, minuteOfDay: number, seconds = 0): number {
  return day * DAY_MS + minuteOfDay * MINUTE_MS + seconds * 1000 - NOMINAL_OFFSET_MIN[zone] * MINUTE_MS;
}

const FREQUENCY_WEIGHTS: readonly (readonly [OracleFrequency, number])[] = [
  ['no_repeat', 5],
  ['minutely', 13],
  ['hourly', 13],
  ['daily', 18],
  ['weekly', 17],
  ['monthly', 18],
  ['yearly', 16],
];

/** The day of a month with an occasional bias to short-month days. */
function monthDays(rng: Random): number[] {
  const pool = [29, 30, 31, -1, rng.int(1, 28), rng.int(1, 31)];
  const days = new Set<number>();
  const size = rng.int(1, 4);
  while (days.size < size) days.add(rng.chance(0.55) ? rng.pick(pool) : rng.pick([...range(1, 31), -1]));
  return [...days];
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

function interval(rng: Random, frequency: OracleFrequency, targeted: boolean): number {
  switch (frequency) {
    case 'minutely':
      return rng.chance(0.5) ? rng.int(1, 10) : rng.int(1, 90);
    case 'hourly':
      return targeted ? rng.int(1, 6) : rng.int(1, 30);
    case 'monthly':
      // 12/24/48 from a short month can never fire: the "No date matches the rule" outcome.
      return !targeted && rng.chance(0.06) ? rng.pick([12, 24, 48]) : rng.int(1, 6);
    case 'yearly':
      return rng.int(1, 4);
    default:
      return rng.int(1, 6);
  }
}

interface Placement {
  startDay: number;
  minuteOfDay: number;
  seconds: number | undefined;
  afterMs: number;
}

/** Add `minutes` to a local (day, minute-of-day), carrying across midnight. */
function shiftLocal(day: number, minuteOfDay: number, minutes: number): { day: number; minuteOfDay: number } {
  const total = day * 1440 + minuteOfDay + minutes;
  return { day: Math.floor(total / 1440), minuteOfDay: ((total % 1440) + 1440) % 1440 };
}

/**
 * One random case. `id` only labels it; everything else comes from `rng`.
 */
function generateCase(rng: Random, id: number): OracleCase {
  const zone = rng.pick(ORACLE_ZONES);
  const frequency = rng.weighted(FREQUENCY_WEIGHTS);
  const transitions = TRANSITIONS.filter((t) => t.zone === zone);
  const targeted = transitions.length > 0 && rng.chance(0.8);
  const t = targeted ? rng.pick(transitions) : undefined;
  const n = frequency === 'no_repeat' ? 1 : interval(rng, frequency, targeted);
  const count = rng.int(5, 20);
  const seconds = rng.chance(0.15) ? rng.int(0, 59) : undefined;

  const input: Record<string, unknown> = { frequency, time_zone: zone };
  if (frequency !== 'no_repeat') input.interval = n;
  if (rng.chance(0.03)) input.disabled = true;

  let place: Placement;
  let startKind: StartKind = 'plain';

  // Frequency-specific fields; for targeted cases, chosen so the transition day is an occurrence.
  const weekStart = rng.pick(['monday', 'sunday'] as const);
  let days: WeekdayName[] = rng.subset(WEEKDAY_NAMES);
  let dayOfWeek = rng.chance(0.45);
  let index = rng.pick([1, 2, 3, 4, -1] as const) as number;
  let weekday: WeekdayName = rng.pick(WEEKDAY_NAMES);
  let dom = monthDays(rng);
  let months = rng.subset(range(1, 12), 5);

  if (t !== undefined) {
    startKind = t.kind;
    const inWindow = t.fromMin + rng.int(0, t.toMin - t.fromMin - 1);
    const tc = civil(t.day);
    let startDay = t.day;
    let minuteOfDay = inWindow;
    // Roughly how far back the `after` may go while the transition stays within `count` occurrences.
    let afterSlackMs = 0;
    switch (frequency) {
      case 'no_repeat':
        break;
      case 'minutely':
      case 'hourly': {
        // Start inside the window, or a little before the transition so the series runs across it.
        const periodMin = n * (frequency === 'minutely' ? 1 : 60);
        if (rng.chance(0.5)) {
          const back = shiftLocal(t.day, t.fromMin, -rng.int(1, Math.max(1, periodMin * (count - 2))));
          startDay = back.day;
          minuteOfDay = back.minuteOfDay;
          startKind = 'plain';
        }
        afterSlackMs = rng.int(0, 90) * MINUTE_MS;
        break;
      }
      case 'daily': {
        const j = rng.int(0, Math.min(count - 1, 8));
        startDay = t.day - n * j;
        afterSlackMs = Math.max(0, j * n - 1) * DAY_MS;
        break;
      }
      case 'weekly': {
        if (!days.includes('sunday')) days = [...days, 'sunday'];
        const j = rng.int(0, Math.max(0, Math.min(3, Math.floor((count - 1) / days.length))));
        // Stay in the same week as the transition Sunday: Monday-weeks end on Sunday, Sunday-weeks begin on it.
        startDay = t.day - 7 * n * j - (weekStart === 'monday' ? rng.int(0, 6) : 0);
        afterSlackMs = Math.max(0, j * 7 * n - 7) * DAY_MS;
        break;
      }
      case 'monthly': {
        const j = rng.int(0, 2);
        const monthIndex = tc.year * 12 + tc.month - 1 - n * j;
        const y = Math.floor(monthIndex / 12);
        const m = (monthIndex % 12) + 1;
        startDay = dayOf(y, m, j === 0 ? rng.int(1, tc.day) : rng.int(1, 28));
        if (dayOfWeek) {
          weekday = 'sunday';
          // A last Sunday on or before the 28th is also the 4th: both spellings name the transition day.
          index = t.sundayIndex === -1 && tc.day <= 28 && rng.chance(0.3) ? 4 : t.sundayIndex;
        } else if (!dom.includes(tc.day)) {
          dom = [...dom.slice(0, 3), tc.day];
        }
        afterSlackMs = Math.max(0, j * n * 28 - 1) * DAY_MS;
        break;
      }
      case 'yearly': {
        const j = rng.int(0, 1);
        if (!months.includes(tc.month)) months = [...months.slice(0, 4), tc.month].sort((a, b) => a - b);
        const y = tc.year - n * j;
        if (dayOfWeek) {
          weekday = 'sunday';
          index = t.sundayIndex;
          const m = rng.int(1, tc.month);
          startDay = dayOf(y, m, rng.int(1, m === tc.month && j === 0 ? tc.day : 28));
        } else {
          // The implicit day is the start's day: start on the transition's day of the month.
          const m = rng.int(1, tc.month);
          startDay = dayOf(y, m, Math.min(tc.day, daysInMonth(y, m)));
          if (tc.day > daysInMonth(y, m)) startDay = dayOf(y, tc.month, tc.day);
        }
        afterSlackMs = j * n * 365 * DAY_MS;
        break;
      }
    }
    const transitionMs = nominalInstant(zone, t.day, t.fromMin);
    const startMs = nominalInstant(zone, startDay, minuteOfDay, seconds);
    // From up to 2 h before the start, moved forward by up to the slack, but before the transition; or (a
    // quarter of the time) right around the transition, often between the two passes of a repeated hour.
    const afterMs =
      frequency !== 'no_repeat' && rng.chance(0.25)
        ? nominalInstant(zone, t.day, inWindow) + rng.int(-90, 30) * MINUTE_MS
        : frequency === 'no_repeat'
          ? startMs + rng.int(-180, 60) * MINUTE_MS
          : frequency === 'minutely' || frequency === 'hourly'
            ? startMs - afterSlackMs
            : Math.min(
                startMs - rng.int(0, 120) * MINUTE_MS + Math.floor(rng.next() * afterSlackMs),
                transitionMs - 3 * 3_600_000,
              );
    place = { startDay, minuteOfDay, seconds, afterMs };
  } else {
    const startDay = dayOf(2024, 1, 1) + rng.int(0, 1276); // 2024-01-01 .. 2027-06-30
    let minuteOfDay = rng.chance(0.1) ? rng.pick([0, 1439, 720, 60, 90, 120, 150]) : rng.int(0, 1439);
    if (frequency === 'yearly' && !dayOfWeek && rng.chance(0.5)) {
      // Start on a 29th-31st so the implicit day is clamped in shorter months.
      const c = civil(startDay);
      const d = rng.pick([29, 30, 31]);
      const start = dayOf(c.year, c.month, Math.min(d, daysInMonth(c.year, c.month)));
      minuteOfDay = rng.int(0, 1439);
      place = placePlain(rng, zone, frequency, start, minuteOfDay, seconds);
    } else {
      place = placePlain(rng, zone, frequency, startDay, minuteOfDay, seconds);
    }
  }

  if (frequency === 'monthly' && !targeted && rng.chance(0.05)) {
    // A rule that can never fire ("No date matches the rule"): every 12/24 months from a month lacking the day,
    // or the 29th of February every 48 months from a common year.
    dayOfWeek = false;
    const c = civil(place.startDay);
    const variant = rng.pick([
      { months: [4, 6, 9, 11], dom: [31], n: rng.pick([12, 24]) },
      { months: [2], dom: rng.pick([[30], [31], [30, 31]]), n: rng.pick([12, 24]) },
      { months: [2], dom: [29], n: 48 },
    ]);
    const year = variant.n === 48 && c.year % 4 === 0 ? c.year + 1 : c.year;
    place.startDay = dayOf(year, rng.pick(variant.months), rng.int(1, 28));
    dom = variant.dom;
    input.interval = variant.n;
  }

  input.start_date = formatDay(place.startDay);
  input.time_of_day = formatTime(place.minuteOfDay, place.seconds);

  switch (frequency) {
    case 'weekly':
      input.day = days;
      // Otherwise the default (monday) applies; targeted starts suit either week start.
      if (rng.chance(0.7)) input.week_start = weekStart;
      break;
    case 'monthly':
      if (dayOfWeek) {
        input.day_of_week = true;
        input.day_of_week_index = index;
        input.day_of_week_day = weekday;
      } else {
        if (rng.chance(0.5)) input.day_of_week = false;
        input.day_of_month = dom;
      }
      break;
    case 'yearly':
      input.month_of_year = months;
      if (dayOfWeek) {
        input.day_of_week = true;
        input.day_of_week_index = index;
        input.day_of_week_day = weekday;
      }
      break;
    default:
      break;
  }

  if (frequency !== 'no_repeat' && rng.chance(0.3)) {
    // An end date somewhere within (roughly) the span the `count` occurrences cover, so it often cuts.
    const periodDays: Record<string, number> = {
      minutely: 0.05,
      hourly: 0.5,
      daily: 1,
      weekly: 7,
      monthly: 30,
      yearly: 365,
    };
    const span = Math.ceil(2 * count * n * (periodDays[frequency] ?? 1));
    const afterDay = Math.floor(place.afterMs / DAY_MS);
    const base = Math.max(place.startDay, afterDay - 1);
    input.end_date = formatDay(base + rng.int(0, Math.max(1, span)));
  }

  // Sometimes make `after` a round UTC instant (often exactly an occurrence: tests "strictly after").
  let afterMs = place.afterMs;
  if (zone === 'Asia/Kolkata' || zone === 'UTC' ? !targeted && rng.chance(0.3) : false) {
    // Fixed-offset zones: `after` exactly at the start instant, or k periods after it for elapsed/daily rules,
    // which is an occurrence whenever the start matches the rule ("strictly after" must skip it).
    const periodMs: Partial<Record<OracleFrequency, number>> = {
      minutely: n * MINUTE_MS,
      hourly: n * 60 * MINUTE_MS,
      daily: n * DAY_MS,
    };
    const k = rng.chance(0.3) ? 0 : rng.int(0, 30);
    afterMs =
      nominalInstant(zone, place.startDay, place.minuteOfDay, place.seconds) + k * (periodMs[frequency] ?? 0);
  } else if (rng.chance(0.3)) afterMs = Math.round(afterMs / (15 * MINUTE_MS)) * 15 * MINUTE_MS;
  else if (rng.chance(0.1)) afterMs += rng.int(0, 999); // sub-second

  return {
    id,
    input: input as unknown as RecurrenceInput,
    after: new Date(afterMs),
    count,
    zone,
    frequency,
    startKind,
  };
}

function placePlain(
  rng: Random,
  zone: OracleZone,
  frequency: OracleFrequency,
  startDay: number,
  minuteOfDay: number,
  seconds: number | undefined,
): Placement {
  const startMs = nominalInstant(zone, startDay, minuteOfDay, seconds);
  // Between shortly before the start and a year after it (no_repeat: within a day either side).
  const afterMs =
    frequency === 'no_repeat'
      ? startMs + rng.int(-DAY_MS, DAY_MS)
      : startMs + rng.int(-2 * DAY_MS, 365 * DAY_MS);
  return { startDay, minuteOfDay, seconds, afterMs: Math.floor(afterMs / 1000) * 1000 };
}

/** `cases` deterministic random cases from `seed`. */
export function generateCases(cases: number, seed: number): OracleCase[] {
  const rng = new Random(seed);
  return Array.from({ length: cases }, (_, id) => generateCase(rng, id));
}
