/**
 * Property-based cross-check of the recurrence engine against an independent implementation: python-dateutil
 * (test/oracle/dateutil_oracle.py), with the documented policy differences of RECURRENCE.md normalised there.
 *
 * Every case is normalised with a fixed `now` (all clock-dependent fields are explicit, so the result does not
 * depend on it), evaluated by the engine, and sent, in one batch, to ONE Python process over stdin/stdout JSON
 * lines. Instants are compared exactly (epoch milliseconds), together with the "none" outcome and its reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { nextOccurrences, normalizeRecurrence } from '../../src/recurrence';
import type { Recurrence } from '../../src/recurrence';
import { ORACLE_FREQUENCIES, ORACLE_ZONES, generateCases } from './generate';
import type { OracleCase, StartKind } from './generate';

/** Fixed creation instant for normalisation (every case gives start_date and time_of_day explicitly). */
export const ORACLE_NOW = new Date('2024-01-01T00:00:00Z');

const ROOT = path.resolve(__dirname, '..', '..');
export const ORACLE_SCRIPT = path.join(__dirname, 'dateutil_oracle.py');
const INSTALL_HINT =
  'install it with `python3 -m venv .venv && .venv/bin/pip install -r test/oracle/requirements.txt` ' +
  '(.ci/run does this), or point ORACLE_PYTHON at an interpreter that has python-dateutil';

/** The oracle's interpreter: $ORACLE_PYTHON, else the project venv's .venv/bin/python, else python3. */
export function resolveOraclePython(): string {
  const fromEnv = process.env.ORACLE_PYTHON;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const venv = path.join(ROOT, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/** One case as the oracle sees it. */
export interface OracleRequest {
  id: number;
  rule: Recurrence;
  after: string;
  count: number;
}

/** The oracle's answer: UTC instants (`YYYY-MM-DDTHH:MM:SSZ`) and the reason for fewer than `count`. */
export interface OracleAnswer {
  id: number;
  occurrences: string[];
  reason: string | null;
  gap_hits: number;
  overlap_hits: number;
  /** Set when the oracle failed on this case (an oracle bug, or a rule it cannot read). */
  error?: string;
}

export interface OracleMeta {
  python: string;
  dateutil: string;
  tzdata: string;
}

interface RawAnswer {
  id?: number;
  meta?: OracleMeta;
  error?: string;
  occurrences?: string[];
  reason?: string | null;
  gap_hits?: number;
  overlap_hits?: number;
}

/**
 * Runs the Python oracle once over all `requests` (JSON lines in, JSON lines out).
 * @throws Error with an install hint if the interpreter or python-dateutil is missing, or the oracle fails.
 */
export async function runOracle(
  requests: readonly OracleRequest[],
  python = resolveOraclePython(),
): Promise<{ meta: OracleMeta; answers: Map<number, OracleAnswer> }> {
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const { stdout, stderr, code, spawnError } = await new Promise<{
    stdout: string;
    stderr: string;
    code: number | null;
    spawnError?: Error;
  }>((resolve) => {
    const child = spawn(python, [ORACLE_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ stdout: '', stderr: '', code: null, spawnError: error }));
    child.on('close', (exitCode) =>
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: exitCode,
      }),
    );
    // A dead child (e.g. dateutil missing) closes stdin early: the error surfaces through `close`.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
  if (spawnError !== undefined) {
    throw new Error(
      `Cannot start the oracle's Python interpreter "${python}": ${spawnError.message}; ${INSTALL_HINT}`,
    );
  }
  if (code !== 0) {
    const missing = /No module named '?dateutil/.test(stderr) ? 'python-dateutil is not installed: ' : '';
    throw new Error(
      `The dateutil oracle (${python}) exited with ${code}: ${missing}${stderr.trim()}\n${INSTALL_HINT}`,
    );
  }
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const first = lines.shift();
  const meta = first === undefined ? undefined : (JSON.parse(first) as RawAnswer).meta;
  if (meta === undefined)
    throw new Error(`The dateutil oracle printed no meta line: ${stdout.slice(0, 200)}`);
  const answers = new Map<number, OracleAnswer>();
  for (const line of lines) {
    const raw = JSON.parse(line) as RawAnswer;
    if (raw.id === undefined) throw new Error(`Oracle answer without id: ${line}`);
    answers.set(raw.id, {
      ...(raw.error === undefined ? {} : { error: raw.error }),
      id: raw.id,
      occurrences: raw.occurrences ?? [],
      reason: raw.reason ?? null,
      gap_hits: raw.gap_hits ?? 0,
      overlap_hits: raw.overlap_hits ?? 0,
    });
  }
  if (answers.size !== requests.length) {
    throw new Error(`The dateutil oracle answered ${answers.size} of ${requests.length} cases`);
  }
  return { meta, answers };
}

/** Checks an interpreter can run the oracle (python-dateutil + zoneinfo importable); returns the reason if not. */
export function oracleUnavailable(python = resolveOraclePython()): string | null {
  const probe = spawnSync(
    python,
    ['-c', 'import dateutil.rrule, zoneinfo; zoneinfo.ZoneInfo("Australia/Lord_Howe")'],
    {
      encoding: 'utf8',
    },
  );
  if (probe.error !== undefined) return `cannot run "${python}": ${probe.error.message}; ${INSTALL_HINT}`;
  if (probe.status !== 0)
    return `"${python}" cannot import python-dateutil/zoneinfo: ${probe.stderr.trim()}; ${INSTALL_HINT}`;
  return null;
}

export interface Tally {
  cases: number;
  agreed: number;
}

export interface Disagreement {
  id: number;
  zone: string;
  frequency: string;
  startKind: StartKind;
  rule: Recurrence | null;
  input: unknown;
  after: string;
  count: number;
  ours: { occurrences: string[]; reason: string | null } | { error: string };
  oracle: { occurrences: string[]; reason: string | null } | { error: string };
}

export interface Report {
  seed: number;
  cases: number;
  agreed: number;
  disagreed: number;
  byZone: Record<string, Tally>;
  byFrequency: Record<string, Tally>;
  /** zone -> frequency -> tally. */
  byZoneAndFrequency: Record<string, Record<string, Tally>>;
  byStartKind: Record<StartKind, Tally>;
  /** Occurrences compared in all, and how many of them the oracle mapped through a gap / an overlap. */
  occurrences: number;
  gapOccurrences: number;
  overlapOccurrences: number;
  /** Cases whose answer ends early (fewer than `count`), by reason (from the oracle). */
  reasons: Record<string, number>;
  /** Feature coverage counts of the sample (for the guards of the unit test). */
  coverage: Record<string, number>;
  /** The first disagreements, in full. */
  disagreements: Disagreement[];
  oracle: OracleMeta;
  nodeTz: string;
  durationMs: number;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const tally = (): Tally => ({ cases: 0, agreed: 0 });

function coverageKeys(c: OracleCase, rule: Recurrence | null): string[] {
  const keys: string[] = [];
  if (rule === null) return keys;
  if (rule.disabled) keys.push('disabled');
  if ('end_date' in rule && rule.end_date !== undefined) keys.push('end_date');
  if (rule.time_of_day.length === 8) keys.push('time with seconds');
  if ('interval' in rule && rule.interval > 1) keys.push(`${rule.frequency} interval > 1`);
  if (rule.frequency === 'weekly') {
    keys.push(`week_start ${rule.week_start}`);
    if (rule.day.length > 1) keys.push('weekly several days');
  }
  if (rule.frequency === 'monthly' || rule.frequency === 'yearly') {
    if (rule.day_of_week) {
      keys.push(`${rule.frequency} nth weekday`);
      if (rule.day_of_week_index === -1) keys.push(`${rule.frequency} last weekday`);
    } else if (rule.frequency === 'monthly') {
      for (const d of [29, 30, 31, -1]) if (rule.day_of_month.includes(d)) keys.push(`monthly day ${d}`);
    } else {
      keys.push('yearly implicit day');
      if (Number(rule.start_date.slice(8, 10)) > 28) keys.push('yearly implicit day 29-31');
    }
    if (rule.frequency === 'yearly' && rule.month_of_year.length > 1) keys.push('yearly several months');
  }
  if (c.startKind !== 'plain') keys.push(`start in ${c.startKind}`);
  return keys;
}

export interface CrossCheckOptions {
  cases: number;
  seed: number;
  /** How many disagreements to keep in full. @default 10 */
  maxDisagreements?: number;
  /** Interpreter for the oracle. @default resolveOraclePython() */
  python?: string;
}

/** Generates `cases` random rules from `seed`, evaluates them with the engine and the oracle, and compares. */
export async function runCrossCheck(options: CrossCheckOptions): Promise<Report> {
  const started = Date.now();
  const { cases: n, seed, maxDisagreements = 10 } = options;
  const generated = generateCases(n, seed);

  type Ours = { occurrences: number[]; reason: string | null } | { error: string };
  const rules: (Recurrence | null)[] = [];
  const ours: Ours[] = [];
  const requests: OracleRequest[] = [];
  for (const c of generated) {
    let rule: Recurrence | null = null;
    try {
      rule = normalizeRecurrence(c.input, { now: ORACLE_NOW });
      const result = nextOccurrences(rule, c.after, c.count);
      ours.push({ occurrences: result.occurrences.map((d) => d.getTime()), reason: result.reason });
    } catch (error) {
      ours.push({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
    rules.push(rule);
    // A rule the engine rejected is still sent as given, so the report shows what the oracle makes of it.
    requests.push({
      id: c.id,
      rule: rule ?? (c.input as unknown as Recurrence),
      after: c.after.toISOString(),
      count: c.count,
    });
  }

  const { meta, answers } = await runOracle(requests, options.python);

  const report: Report = {
    seed,
    cases: n,
    agreed: 0,
    disagreed: 0,
    byZone: Object.fromEntries(ORACLE_ZONES.map((z) => [z, tally()])),
    byFrequency: Object.fromEntries(ORACLE_FREQUENCIES.map((f) => [f, tally()])),
    byZoneAndFrequency: Object.fromEntries(
      ORACLE_ZONES.map((z) => [z, Object.fromEntries(ORACLE_FREQUENCIES.map((f) => [f, tally()]))]),
    ),
    byStartKind: { gap: tally(), overlap: tally(), plain: tally() },
    occurrences: 0,
    gapOccurrences: 0,
    overlapOccurrences: 0,
    reasons: {},
    coverage: {},
    disagreements: [],
    oracle: meta,
    nodeTz: process.versions.tz ?? 'unknown',
    durationMs: 0,
  };

  generated.forEach((c, i) => {
    const mine = ours[i] as Ours;
    const answer = answers.get(c.id) as OracleAnswer;
    const expected = answer.occurrences.map((s) => Date.parse(s));
    const agree =
      !('error' in mine) &&
      answer.error === undefined &&
      mine.reason === answer.reason &&
      mine.occurrences.length === expected.length &&
      mine.occurrences.every((ms, k) => ms === expected[k]);
    const cell = report.byZoneAndFrequency[c.zone]?.[c.frequency] as Tally;
    for (const t of [
      report.byZone[c.zone],
      report.byFrequency[c.frequency],
      report.byStartKind[c.startKind],
      cell,
    ]) {
      if (t === undefined) continue;
      t.cases += 1;
      if (agree) t.agreed += 1;
    }
    report.occurrences += expected.length;
    report.gapOccurrences += answer.gap_hits;
    report.overlapOccurrences += answer.overlap_hits;
    if (answer.reason !== null) report.reasons[answer.reason] = (report.reasons[answer.reason] ?? 0) + 1;
    for (const key of coverageKeys(c, rules[i] ?? null))
      report.coverage[key] = (report.coverage[key] ?? 0) + 1;
    if (agree) {
      report.agreed += 1;
      return;
    }
    report.disagreed += 1;
    if (report.disagreements.length < maxDisagreements) {
      report.disagreements.push({
        id: c.id,
        zone: c.zone,
        frequency: c.frequency,
        startKind: c.startKind,
        rule: rules[i] ?? null,
        input: c.input,
        after: c.after.toISOString(),
        count: c.count,
        ours: 'error' in mine ? mine : { occurrences: mine.occurrences.map(isoSeconds), reason: mine.reason },
        oracle:
          answer.error === undefined
            ? { occurrences: answer.occurrences, reason: answer.reason }
            : { error: answer.error },
      });
    }
  });
  report.durationMs = Date.now() - started;
  return report;
}

const percent = (t: Tally): string =>
  t.cases === 0 ? '-' : `${((100 * t.agreed) / t.cases).toFixed(t.agreed === t.cases ? 0 : 2)}%`;
const cell = (t: Tally | undefined): string => (t === undefined ? '-' : `${t.agreed}/${t.cases}`);

/** The report as Markdown: totals, zone x frequency table, start kinds, coverage and the first disagreements. */
export function formatReport(report: Report): string {
  const lines: string[] = [];
  const total: Tally = { cases: report.cases, agreed: report.agreed };
  lines.push('# Recurrence engine vs python-dateutil: cross-check report', '');
  lines.push(
    `Seed ${report.seed}, ${report.cases} random rules, ${report.occurrences} occurrences compared as UTC instants ` +
      `(${report.gapOccurrences} mapped through a DST gap, ${report.overlapOccurrences} through an overlap).`,
  );
  lines.push(
    `Agreement: **${report.agreed}/${report.cases} (${percent(total)})**, ${report.disagreed} disagreement(s).`,
    '',
  );
  lines.push(
    `Oracle: python-dateutil ${report.oracle.dateutil} on Python ${report.oracle.python}, zoneinfo data ` +
      `${report.oracle.tzdata}; engine: Node ${process.versions.node}, ICU tz ${report.nodeTz}.`,
    '',
  );
  lines.push('## Agreement by zone and frequency (agreed/cases)', '');
  lines.push(`| zone | ${ORACLE_FREQUENCIES.join(' | ')} | all | % |`);
  lines.push(`|---|${ORACLE_FREQUENCIES.map(() => '---:').join('|')}|---:|---:|`);
  for (const zone of ORACLE_ZONES) {
    const row = ORACLE_FREQUENCIES.map((f) => cell(report.byZoneAndFrequency[zone]?.[f]));
    const z = report.byZone[zone] ?? tally();
    lines.push(`| ${zone} | ${row.join(' | ')} | ${cell(z)} | ${percent(z)} |`);
  }
  const freqRow = ORACLE_FREQUENCIES.map((f) => cell(report.byFrequency[f]));
  lines.push(`| **all** | ${freqRow.join(' | ')} | ${cell(total)} | ${percent(total)} |`);
  lines.push(
    `| **%** | ${ORACLE_FREQUENCIES.map((f) => percent(report.byFrequency[f] ?? tally())).join(' | ')} | | |`,
  );
  lines.push('', '## Agreement by start placement', '');
  lines.push('| start | agreed/cases | % |', '|---|---:|---:|');
  for (const kind of ['gap', 'overlap', 'plain'] as const) {
    const t = report.byStartKind[kind];
    lines.push(`| ${kind === 'plain' ? 'anywhere' : `inside a DST ${kind}`} | ${cell(t)} | ${percent(t)} |`);
  }
  lines.push('', '## Outcomes with fewer than `count` occurrences (oracle)', '');
  lines.push('| reason | cases |', '|---|---:|');
  for (const [reason, count] of Object.entries(report.reasons).sort()) lines.push(`| ${reason} | ${count} |`);
  lines.push('', '## Feature coverage of the sample', '');
  lines.push('| feature | cases |', '|---|---:|');
  for (const [key, count] of Object.entries(report.coverage).sort()) lines.push(`| ${key} | ${count} |`);
  if (report.disagreements.length > 0) {
    lines.push('', `## First ${report.disagreements.length} disagreement(s)`, '');
    for (const d of report.disagreements) {
      lines.push(`### case ${d.id}: ${d.frequency} ${d.zone} (start: ${d.startKind})`, '');
      lines.push(
        '```json',
        JSON.stringify({ rule: d.rule ?? d.input, after: d.after, count: d.count }),
        '```',
      );
      lines.push(`- ours:   ${JSON.stringify(d.ours)}`, `- oracle: ${JSON.stringify(d.oracle)}`, '');
    }
  }
  return lines.join('\n') + '\n';
}
