/**
 * The `runbook-scheduler` command line: previews and exports of recurrences (no server needed), and the
 * connector's operations (a thin layer over {@link SchedulerService}, scoped by `--solution`).
 *
 * Exit status: 0 success, 1 the operation failed, 2 invalid input.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { loadSettings } from './config';
import { ScheduleActionError } from './connector/errors';
import { nextOccurrences, recurrenceJsonSchema, toRRuleText, validateRecurrence } from './recurrence';
import { formatUtcSeconds } from './dispatch/payload';
import { createApp } from './app';

const USAGE = `Usage: runbook-scheduler <command> [options]

Recurrences (no server needed):
  occurrences --schedule '<json>' [--after <ISO 8601>] [--count N]   next N occurrences (default 10)
  rrule --schedule '<json>'                                            the rule as RFC 5545 text
  json-schema                                                          JSON Schema of the recurrence object

Schedules (scoped by --solution or RUNBOOK_SCHEDULER_SOLUTION):
  create --input '<json>'         {runbook_uuid, schedule_reference, schedule, request_body?}
  update --input '<json>'         {schedule_reference, schedule}
  delete --reference <ref>
  get --reference <ref>
  list
  pause --reference <ref>
  resume --reference <ref>
  trigger --reference <ref>
  runs --reference <ref> [--limit N]   its most recent runs, also after delete (default 50)
  runbooks [--register '<json>' | --register-file <path>]

Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY.`;

/** An error in the command line itself: printed with the usage, exit status 2. */
class UsageError extends Error {}

function print(value: unknown, compact = false): void {
  process.stdout.write(`${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
}

function parseJson(flag: string, text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`--${flag} is required`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`);
  }
}

/** An ISO 8601 instant with its offset (`Z` or `±HH:MM`): without one, the machine's zone would decide. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(text: string): Date {
  const instant = new Date(text);
  if (!INSTANT_RE.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError(
      `--after must be an ISO 8601 instant with its offset, e.g. 2025-03-01T00:00:00Z, got "${text}"`,
    );
  }
  return instant;
}

function recurrenceOf(text: string | undefined, now: Date) {
  const result = validateRecurrence(parseJson('schedule', text), {
    now,
    ...(loadSettings().defaultTimeZone ? { defaultTimeZone: loadSettings().defaultTimeZone } : {}),
  });
  if (!result.success) throw new ValidationFailure(result.messages);
  return result.recurrence;
}

class ValidationFailure extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('\n'));
  }
}

/** Runs the CLI; resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        schedule: { type: 'string' },
        after: { type: 'string' },
        count: { type: 'string' },
        input: { type: 'string' },
        reference: { type: 'string' },
        solution: { type: 'string' },
        register: { type: 'string' },
        'register-file': { type: 'string' },
        limit: { type: 'string' },
      },
      strict: true,
    });
    const now = new Date();
    switch (command) {
      case 'occurrences': {
        const rule = recurrenceOf(values.schedule, now);
        const after = values.after === undefined ? now : parseInstant(values.after);
        const count = values.count === undefined ? 10 : Number(values.count);
        if (!Number.isInteger(count) || count < 1 || count > 10_000) {
          throw new UsageError('--count must be an integer from 1 to 10000');
        }
        const result = nextOccurrences(rule, after, count);
        // One line: scripts read it with a JSON parser or `jq`.
        print({ occurrences: result.occurrences.map(formatUtcSeconds), reason: result.reason }, true);
        return 0;
      }
      case 'rrule':
        process.stdout.write(`${toRRuleText(recurrenceOf(values.schedule, now))}\n`);
        return 0;
      case 'json-schema':
        print(recurrenceJsonSchema());
        return 0;
      case 'create':
      case 'update':
      case 'delete':
      case 'get':
      case 'list':
      case 'pause':
      case 'resume':
      case 'trigger':
      case 'runs':
      case 'runbooks':
        return await runServiceCommand(command, values);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof ValidationFailure) {
      process.stderr.write(`${err.messages.join('\n')}\n`);
      return 2;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ScheduleActionError) {
      process.stderr.write(`${err.message}\n${err.details.map((d) => `  ${d}\n`).join('')}`);
      return err.code === 'invalid' ? 2 : 1;
    }
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function runServiceCommand(
  command: string,
  values: Record<string, string | undefined>,
): Promise<number> {
  const solution = values.solution ?? process.env.RUNBOOK_SCHEDULER_SOLUTION;
  if (!solution) throw new UsageError('--solution (or RUNBOOK_SCHEDULER_SOLUTION) is required');
  const app = await createApp(loadSettings());
  try {
    const ref = { schedule_reference: values.reference };
    const s = app.service;
    switch (command) {
      case 'create':
        print(await s.createSchedule(solution, parseJson('input', values.input)));
        return 0;
      case 'update':
        print(await s.updateSchedule(solution, parseJson('input', values.input)));
        return 0;
      case 'delete':
        print(await s.deleteSchedule(solution, ref));
        return 0;
      case 'get': {
        const view = await s.getSchedule(solution, ref);
        if (!view) {
          process.stderr.write('Schedule not found\n');
          return 1;
        }
        print(view);
        return 0;
      }
      case 'list':
        print({ schedules: await s.listSchedules(solution) });
        return 0;
      case 'pause':
        print(await s.pauseSchedule(solution, ref));
        return 0;
      case 'resume':
        print(await s.resumeSchedule(solution, ref));
        return 0;
      case 'trigger':
        print(await s.triggerSchedule(solution, ref));
        return 0;
      case 'runs': {
        print(
          await s.listRuns(solution, {
            ...ref,
            ...(values.limit === undefined ? {} : { limit: values.limit }),
          }),
        );
        return 0;
      }
      default: {
        const text = values['register-file']
          ? readFileSync(values['register-file'], 'utf8')
          : values.register;
        if (text !== undefined) {
          const runbook = parseJson('register', text) as Record<string, unknown>;
          print(await s.registerRunbook({ ...runbook, solution }));
          return 0;
        }
        print({ runbooks: await s.listRunbooks(solution) });
        return 0;
      }
    }
  } finally {
    await app.close();
  }
}
