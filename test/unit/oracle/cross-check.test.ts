/**
 * In-suite sample of the dateutil cross-check (the full 10,000-rule run is scripts/oracle-cross-check.ts).
 *
 * Needs Python with python-dateutil (test/oracle/requirements.txt; .ci/run installs it into .venv). A missing
 * interpreter or package FAILS these tests with an install hint: it is never a silent skip.
 */
import type { Recurrence } from '../../../src/recurrence';
import {
  formatReport,
  oracleUnavailable,
  resolveOraclePython,
  runCrossCheck,
  runOracle,
} from '../../oracle/cross-check';
import type { OracleRequest, Report } from '../../oracle/cross-check';
import {
  ORACLE_FREQUENCIES,
  ORACLE_ZONES,
  TRANSITIONS,
  formatDay,
  generateCases,
} from '../../oracle/generate';

const SAMPLE = 2000;
const SEED = 20250309;

jest.setTimeout(60_000);

describe('dateutil oracle environment', () => {
  it('has a Python interpreter with python-dateutil and zoneinfo', () => {
    const problem = oracleUnavailable();
    if (problem !== null) throw new Error(`The recurrence cross-check cannot run: ${problem}`);
    expect(resolveOraclePython()).toBeTruthy();
  });

  it('reports a missing interpreter clearly instead of passing', async () => {
    await expect(runOracle([], '/nonexistent/python3')).rejects.toThrow(/Cannot start .*pip install -r/);
  });
});

/** A normalised rule written out by hand (not through normalizeRecurrence), so the oracle is checked alone. */
const r = (rule: Record<string, unknown>): Recurrence =>
  ({ disabled: false, interval: 1, ...rule }) as Recurrence;

interface SanityCase {
  name: string;
  rule: Recurrence;
  after: string;
  count: number;
  expected: string[];
  reason?: string;
}

// Worked cases of RECURRENCE.md (UTC instants), answered by the oracle itself.
const SANITY: SanityCase[] = [
  {
    name: 'daily 02:30 America/New_York from 03-07: the spring-forward gap takes the pre-gap offset',
    rule: r({
      frequency: 'daily',
      time_zone: 'America/New_York',
      start_date: '2025-03-07',
      time_of_day: '02:30',
    }),
    after: '2025-03-01T00:00:00Z',
    count: 4,
    expected: [
      '2025-03-07T07:30:00Z',
      '2025-03-08T07:30:00Z',
      '2025-03-09T07:30:00Z',
      '2025-03-10T06:30:00Z',
    ],
  },
  {
    name: 'daily 01:30 America/New_York from 11-01: the fall-back overlap fires once, at the first',
    rule: r({
      frequency: 'daily',
      time_zone: 'America/New_York',
      start_date: '2025-11-01',
      time_of_day: '01:30',
    }),
    after: '2025-10-01T00:00:00Z',
    count: 3,
    expected: ['2025-11-01T05:30:00Z', '2025-11-02T05:30:00Z', '2025-11-03T06:30:00Z'],
  },
  {
    name: 'daily 02:15 Australia/Lord_Howe from 10-04: the 30-minute gap',
    rule: r({
      frequency: 'daily',
      time_zone: 'Australia/Lord_Howe',
      start_date: '2025-10-04',
      time_of_day: '02:15',
    }),
    after: '2025-10-01T00:00:00Z',
    count: 3,
    expected: ['2025-10-03T15:45:00Z', '2025-10-04T15:45:00Z', '2025-10-05T15:15:00Z'],
  },
  {
    name: 'minutely/7 America/New_York from 03-09 01:50 counts real elapsed time',
    rule: r({
      frequency: 'minutely',
      interval: 7,
      time_zone: 'America/New_York',
      start_date: '2025-03-09',
      time_of_day: '01:50',
    }),
    after: '2025-03-01T00:00:00Z',
    count: 4,
    expected: [
      '2025-03-09T06:50:00Z',
      '2025-03-09T06:57:00Z',
      '2025-03-09T07:04:00Z',
      '2025-03-09T07:11:00Z',
    ],
  },
  {
    name: 'hourly/1 America/New_York from 11-02 00:00, strictly after 03:59:59',
    rule: r({
      frequency: 'hourly',
      time_zone: 'America/New_York',
      start_date: '2025-11-02',
      time_of_day: '00:00',
    }),
    after: '2025-11-02T03:59:59Z',
    count: 4,
    expected: [
      '2025-11-02T04:00:00Z',
      '2025-11-02T05:00:00Z',
      '2025-11-02T06:00:00Z',
      '2025-11-02T07:00:00Z',
    ],
  },
  {
    name: 'weekly/2 saturday+sunday 10:00 UTC from Sat 01-04 with week_start sunday',
    rule: r({
      frequency: 'weekly',
      interval: 2,
      time_zone: 'UTC',
      start_date: '2025-01-04',
      time_of_day: '10:00',
      day: ['saturday', 'sunday'],
      week_start: 'sunday',
    }),
    after: '2025-01-01T00:00:00Z',
    count: 4,
    expected: [
      '2025-01-04T10:00:00Z',
      '2025-01-12T10:00:00Z',
      '2025-01-18T10:00:00Z',
      '2025-01-26T10:00:00Z',
    ],
  },
  {
    name: 'monthly last Friday 17:00 America/New_York',
    rule: r({
      frequency: 'monthly',
      time_zone: 'America/New_York',
      start_date: '2025-01-01',
      time_of_day: '17:00',
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    }),
    after: '2024-12-01T00:00:00Z',
    count: 4,
    expected: [
      '2025-01-31T22:00:00Z',
      '2025-02-28T22:00:00Z',
      '2025-03-28T21:00:00Z',
      '2025-04-25T21:00:00Z',
    ],
  },
  {
    name: 'yearly month 2 from 2024-02-29: the implicit day is clamped',
    rule: r({
      frequency: 'yearly',
      time_zone: 'UTC',
      start_date: '2024-02-29',
      time_of_day: '12:00',
      month_of_year: [2],
      day_of_week: false,
    }),
    after: '2024-01-01T00:00:00Z',
    count: 3,
    expected: ['2024-02-29T12:00:00Z', '2025-02-28T12:00:00Z', '2026-02-28T12:00:00Z'],
  },
  {
    name: 'daily 23:30 America/New_York with end_date 03-03',
    rule: r({
      frequency: 'daily',
      time_zone: 'America/New_York',
      start_date: '2025-03-01',
      end_date: '2025-03-03',
      time_of_day: '23:30',
    }),
    after: '2025-02-01T00:00:00Z',
    count: 5,
    expected: ['2025-03-02T04:30:00Z', '2025-03-03T04:30:00Z', '2025-03-04T04:30:00Z'],
    reason: 'End date is in the past',
  },
  {
    name: 'monthly/12 day 31 from a February never fires',
    rule: r({
      frequency: 'monthly',
      interval: 12,
      time_zone: 'UTC',
      start_date: '2025-02-10',
      time_of_day: '09:00',
      day_of_week: false,
      day_of_month: [31],
    }),
    after: '2025-01-01T00:00:00Z',
    count: 3,
    expected: [],
    reason: 'No date matches the rule',
  },
];

describe('dateutil oracle sanity: it gives the worked cases of RECURRENCE.md', () => {
  it.each(SANITY.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const request: OracleRequest = { id: 1, rule: c.rule, after: c.after, count: c.count };
    const { answers } = await runOracle([request]);
    const answer = answers.get(1);
    expect(answer?.error).toBeUndefined();
    expect(answer?.occurrences).toEqual(c.expected);
    expect(answer?.reason).toBe(c.reason ?? null);
  });
});

describe('generator', () => {
  it('is deterministic from the seed', () => {
    expect(JSON.stringify(generateCases(50, 42))).toBe(JSON.stringify(generateCases(50, 42)));
    expect(JSON.stringify(generateCases(50, 42))).not.toBe(JSON.stringify(generateCases(50, 43)));
  });

  it('knows the DST transitions of 2025', () => {
    const y2025 = TRANSITIONS.filter((t) => formatDay(t.day).startsWith('2025'));
    expect(y2025.map((t) => `${t.zone} ${t.kind} ${formatDay(t.day)}`).sort()).toEqual([
      'America/New_York gap 2025-03-09',
      'America/New_York overlap 2025-11-02',
      'Australia/Lord_Howe gap 2025-10-05',
      'Australia/Lord_Howe overlap 2025-04-06',
      'Europe/London gap 2025-03-30',
      'Europe/London overlap 2025-10-26',
    ]);
  });
});

describe(`engine vs dateutil on ${SAMPLE} random rules (seed ${SEED})`, () => {
  let report: Report;

  beforeAll(async () => {
    report = await runCrossCheck({ cases: SAMPLE, seed: SEED, maxDisagreements: 5 });
  });

  it('agrees on every rule, instant for instant', () => {
    if (report.disagreed > 0)
      throw new Error(`Disagreements with the dateutil oracle:\n${formatReport(report)}`);
    expect(report.agreed).toBe(SAMPLE);
  });

  it('covers every frequency and zone (so it cannot pass on an empty sample)', () => {
    const thin = [
      ...ORACLE_FREQUENCIES.filter((f) => (report.byFrequency[f]?.cases ?? 0) < 20),
      ...ORACLE_ZONES.filter((z) => (report.byZone[z]?.cases ?? 0) < 100),
    ];
    expect(thin).toEqual([]);
    expect(report.occurrences).toBeGreaterThan(SAMPLE * 5);
  });

  it('includes many starts inside DST gaps and overlaps, and occurrences mapped through them', () => {
    const inside = report.byStartKind.gap.cases + report.byStartKind.overlap.cases;
    expect(report.byStartKind.gap.cases).toBeGreaterThan(0);
    expect(report.byStartKind.overlap.cases).toBeGreaterThan(0);
    expect(inside / SAMPLE).toBeGreaterThanOrEqual(0.35);
    expect(report.gapOccurrences).toBeGreaterThan(50);
    expect(report.overlapOccurrences).toBeGreaterThan(50);
  });

  it('covers the rule features and every "none" reason', () => {
    const features = [
      'end_date',
      'disabled',
      'time with seconds',
      'week_start monday',
      'week_start sunday',
      'weekly several days',
      'weekly interval > 1',
      'monthly day 29',
      'monthly day 30',
      'monthly day 31',
      'monthly day -1',
      'monthly nth weekday',
      'monthly last weekday',
      'yearly nth weekday',
      'yearly last weekday',
      'yearly implicit day 29-31',
      'yearly several months',
    ];
    expect(features.filter((feature) => (report.coverage[feature] ?? 0) === 0)).toEqual([]);
    const reasons = [
      'Schedule is disabled',
      'End date is in the past',
      'Start time is in the past',
      'No date matches the rule',
    ];
    expect(reasons.filter((reason) => (report.reasons[reason] ?? 0) === 0)).toEqual([]);
  });
});
