/**
 * The preview commands of the `runbook-scheduler` CLI (F3): `occurrences` prints one JSON object with UTC
 * instants and the reason when fewer exist; `rrule` prints RFC 5545 text; invalid input exits 2 with the
 * validation messages. Run through the real bin script, as a person would.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { NoOccurrenceReason } from '../../../src/recurrence';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'runbook-scheduler.js');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

jest.setTimeout(60_000);

describe('runbook-scheduler occurrences', () => {
  test('prints the next N UTC instants of a rule across spring-forward', () => {
    const schedule = {
      frequency: 'daily',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-03-07',
      time_of_day: '02:30',
    };
    const out = cli(
      'occurrences',
      '--schedule',
      JSON.stringify(schedule),
      '--after',
      '2025-03-01T00:00:00Z',
      '--count',
      '4',
    );
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(out.stdout)).toEqual({
      occurrences: [
        '2025-03-07T07:30:00Z',
        '2025-03-08T07:30:00Z',
        '2025-03-09T07:30:00Z',
        '2025-03-10T06:30:00Z',
      ],
      reason: null,
    });
  });

  test('gives the reason when fewer than N occurrences exist', () => {
    const schedule = {
      frequency: 'daily',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-03-01',
      time_of_day: '23:30',
      end_date: '2025-03-03',
    };
    const out = cli(
      'occurrences',
      '--schedule',
      JSON.stringify(schedule),
      '--after',
      '2025-02-28T00:00:00Z',
      '--count',
      '5',
    );
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      occurrences: ['2025-03-02T04:30:00Z', '2025-03-03T04:30:00Z', '2025-03-04T04:30:00Z'],
      reason: NoOccurrenceReason.EndDatePassed,
    });
  });

  test('defaults --after to now: every printed instant lies in the future', () => {
    const before = Date.now();
    const out = cli(
      'occurrences',
      '--schedule',
      JSON.stringify({ frequency: 'hourly', interval: 1, time_zone: 'UTC' }),
      '--count',
      '3',
    );
    expect(out.status).toBe(0);
    const { occurrences } = JSON.parse(out.stdout) as { occurrences: string[] };
    expect(occurrences).toHaveLength(3);
    for (const instant of occurrences) expect(new Date(instant).getTime()).toBeGreaterThan(before);
  });

  test('invalid input exits with status 2 and prints the validation messages', () => {
    const out = cli(
      'occurrences',
      '--schedule',
      JSON.stringify({
        frequency: 'weekly',
        interval: 0,
        time_zone: 'Mars/Base',
        time_of_day: '09:00',
        day: [],
      }),
    );
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('Interval must be greater than or equal to 1');
    expect(out.stderr).toContain('Time zone "Mars/Base" is not a valid IANA time zone');
    expect(out.stderr).toContain('Day must contain at least one weekday');
  });

  test('malformed JSON and a bad --count are usage errors (status 2)', () => {
    expect(cli('occurrences', '--schedule', '{not json').status).toBe(2);
    expect(cli('occurrences', '--schedule', '{"frequency":"no_repeat"}', '--count', 'zero').status).toBe(2);
    expect(cli('no-such-command').status).toBe(2);
  });

  test('--after needs an offset: a local time would mean whatever zone the machine is in', () => {
    const rule =
      '{"frequency":"daily","interval":1,"time_zone":"UTC","start_date":"2025-03-01","time_of_day":"09:00"}';
    for (const after of ['2025-03-01T00:00:00', '2025', 'yesterday']) {
      const out = cli('occurrences', '--schedule', rule, '--after', after, '--count', '1');
      expect(out.status).toBe(2);
      expect(out.stderr).toContain(
        `--after must be an ISO 8601 instant with its offset, e.g. 2025-03-01T00:00:00Z, got "${after}"`,
      );
    }
    const offset = cli(
      'occurrences',
      '--schedule',
      rule,
      '--after',
      '2025-03-01T03:00:00-05:00',
      '--count',
      '1',
    );
    expect(JSON.parse(offset.stdout)).toEqual({ occurrences: ['2025-03-01T09:00:00Z'], reason: null });
  });
});

describe('runbook-scheduler rrule', () => {
  test('prints DTSTART with TZID and the RRULE line', () => {
    const schedule = {
      frequency: 'monthly',
      interval: 1,
      time_zone: 'America/New_York',
      start_date: '2025-01-01',
      time_of_day: '17:00',
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    };
    const out = cli('rrule', '--schedule', JSON.stringify(schedule));
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(
      'DTSTART;TZID=America/New_York:20250101T170000\nRRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR\n',
    );
  });
});

describe('runbook-scheduler json-schema', () => {
  test('prints the recurrence JSON Schema with the frequency values', () => {
    const out = cli('json-schema');
    expect(out.status).toBe(0);
    const text = out.stdout;
    for (const f of ['no_repeat', 'minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'])
      expect(text).toContain(`"${f}"`);
  });
});
