/**
 * The `runbook-scheduler` command line: previews and exports of recurrences (no server needed), and the
 * connector's operations (a thin layer over {@link SchedulerService}, scoped by `--solution`). Each command takes
 * only its own options (`src/cli/commands.ts`); errors map to exit statuses in one place (`src/cli/report.ts`).
 *
 * Exit status: 0 success, 1 the operation failed (Temporal or the catalog unavailable included), 2 invalid input.
 */
import { readFileSync } from 'node:fs';
import { createApp } from './app';
import { loadSettings, type Settings } from './config';
import type { Principal } from './principal';
import { Messages } from './connector/errors';
import type { SchedulerService } from './connector/scheduler-service';
import { formatUtcSeconds } from './dispatch/payload';
import { nextOccurrences, recurrenceJsonSchema, toRRuleText, validateRecurrence } from './recurrence';
import { Command, CommandKind, COMMANDS, parseCommandLine } from './cli/commands';
import { COMMAND_HANDLERS, type Outcome, type ServiceCall, type Values } from './cli/command-handlers';
import { InvalidRecurrenceError, UsageError } from './cli/errors';
import { ExitStatus, reportOf } from './cli/report';

export { ExitStatus } from './cli/report';

/** Something text is written to: `process.stdout`, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
}

/** Where the CLI reads its settings from and writes to; every default is the process's own. */
export interface CliOptions {
  /** Environment the settings are read from (by {@link loadSettings}). @default the process's own */
  readonly env?: NodeJS.ProcessEnv;
  /** @default `process.stdout` */
  readonly stdout?: TextSink;
  /** @default `process.stderr` */
  readonly stderr?: TextSink;
}

/** A command that needs no server, given its option values. */
type LocalCommand = typeof Command.Occurrences | typeof Command.RRule | typeof Command.JsonSchema;
/** A command of the service (built-in or of a feature group), given its option values. */
type ServiceCommand = string;

/**
 * Runs the CLI on `argv` (the arguments after the script) and resolves with the exit status; never rejects.
 * Input is parsed before anything connects, so invalid input exits 2 without touching Temporal.
 */
export async function main(argv: readonly string[], options: CliOptions = {}): Promise<ExitStatus> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.kind === 'usage') {
      stdout.write(`${invocation.text}\n`);
      return invocation.status;
    }
    const { command, values } = invocation;
    const outcome = isServiceCommand(command)
      ? await runServiceCall(command, values, loadSettings(options.env))
      : runLocal(command as LocalCommand, values, () => loadSettings(options.env));
    if ('failure' in outcome) {
      stderr.write(`${outcome.failure}\n`);
      return ExitStatus.Failed;
    }
    stdout.write(
      'text' in outcome
        ? `${outcome.text}\n`
        : `${outcome.compact ? JSON.stringify(outcome.json) : JSON.stringify(outcome.json, null, 2)}\n`,
    );
    return ExitStatus.Success;
  } catch (err) {
    const report = reportOf(err);
    stderr.write(report.text);
    return report.status;
  }
}

function isServiceCommand(command: string): boolean {
  return COMMANDS[command]?.kind === CommandKind.Service;
}

function runLocal(command: LocalCommand, values: Values, settings: () => Settings): Outcome {
  const now = new Date();
  switch (command) {
    case Command.Occurrences: {
      const rule = recurrenceOf(command, values.schedule, now, settings());
      const after = values.after === undefined ? now : parseInstant(values.after);
      const count = values.count === undefined ? 10 : Number(values.count);
      if (!Number.isInteger(count) || count < 1 || count > 10_000) {
        throw new UsageError('--count must be an integer from 1 to 10000', command);
      }
      const result = nextOccurrences(rule, after, count);
      // One line: scripts read it with a JSON parser or `jq`.
      return {
        json: { occurrences: result.occurrences.map(formatUtcSeconds), reason: result.reason },
        compact: true,
      };
    }
    case Command.RRule:
      return { text: toRRuleText(recurrenceOf(command, values.schedule, now, settings())) };
    case Command.JsonSchema:
      return { json: recurrenceJsonSchema() };
  }
}

function parseJson(command: Command, flag: string, text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`--${flag} is required`, command);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`, command);
  }
}

/** An ISO 8601 instant with its offset (`Z` or `±HH:MM`): without one, the machine's zone would decide. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(text: string): Date {
  const instant = new Date(text);
  if (!INSTANT_RE.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError(
      `--after must be an ISO 8601 instant with its offset, e.g. 2025-03-01T00:00:00Z, got "${text}"`,
      Command.Occurrences,
    );
  }
  return instant;
}

function recurrenceOf(command: Command, text: string | undefined, now: Date, settings: Settings) {
  const result = validateRecurrence(parseJson(command, 'schedule', text), {
    now,
    ...(settings.defaultTimeZone ? { defaultTimeZone: settings.defaultTimeZone } : {}),
  });
  if (!result.success) throw new InvalidRecurrenceError(result.messages);
  return result.recurrence;
}

/** Parses the inputs of a service command into the call to make once connected. */
function serviceCallOf(command: ServiceCommand, values: Values): ServiceCall {
  const handler = COMMAND_HANDLERS[command];
  if (handler) return handler(values);
  const call = builtInCallOf(command, values);
  return async (app, principal) => await call(app.service, principal.solution, principal.user);
}

/** A built-in command's call, on the service and a solution, as the CLI's user. */
function builtInCallOf(
  command: string,
  values: Values,
): (service: SchedulerService, solution: string, user: string) => Promise<Outcome> {
  const ref = { schedule_reference: values.reference };
  switch (command) {
    case Command.Create: {
      const input = parseJson(command, 'input', values.input);
      // The CLI's user submits the schedule's runs, as the HTTP API's caller does (FEATURES.md B8).
      return async (s, solution, user) => ({ json: await s.createSchedule(solution, input, user) });
    }
    case Command.Update: {
      const input = parseJson(command, 'input', values.input);
      return async (s, solution) => ({ json: await s.updateSchedule(solution, input) });
    }
    case Command.Delete:
      return async (s, solution) => ({ json: await s.deleteSchedule(solution, ref) });
    case Command.Get:
      return async (s, solution) => {
        const view = await s.getSchedule(solution, ref);
        return view ? { json: view } : { failure: Messages.scheduleNotFound };
      };
    case Command.List: {
      const size = values['page-size'];
      const token = values['page-token'];
      if (size === undefined && token === undefined) {
        return async (s, solution) => ({ json: { schedules: await s.listSchedules(solution) } });
      }
      const page = {
        ...(size === undefined ? {} : { page_size: size }),
        ...(token === undefined ? {} : { page_token: token }),
      };
      return async (s, solution) => ({ json: await s.listSchedulePage(solution, page) });
    }
    case Command.Trigger:
      return async (s, solution) => ({ json: await s.triggerSchedule(solution, ref) });
    case Command.Runs: {
      const input = { ...ref, ...(values.limit === undefined ? {} : { limit: values.limit }) };
      return async (s, solution) => ({ json: await s.listRuns(solution, input) });
    }
    case Command.Runbooks: {
      const text = registrationOf(values);
      if (text === undefined) {
        return async (s, solution) => ({ json: { runbooks: await s.listRunbooks(solution) } });
      }
      const runbook = parseJson(command, 'register', text) as Record<string, unknown>;
      return async (s, solution) => ({ json: await s.registerRunbook({ ...runbook, solution }) });
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

/** The JSON text of the runbook to register, from `--register` or the file of `--register-file`. */
function registrationOf(values: Values): string | undefined {
  const file = values['register-file'];
  if (file === undefined) return values.register;
  if (values.register !== undefined) {
    throw new UsageError('Give --register or --register-file, not both', Command.Runbooks);
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--register-file cannot be read: ${(err as Error).message}`, Command.Runbooks);
  }
}

async function runServiceCall(command: ServiceCommand, values: Values, settings: Settings): Promise<Outcome> {
  const solution = values.solution ?? settings.solution;
  if (!solution) throw new UsageError('--solution (or RUNBOOK_SCHEDULER_SOLUTION) is required', command);
  const principal: Principal = { solution, user: settings.user, roles: settings.roles };
  const call = serviceCallOf(command, values);
  // A failed connect rejects here, after the SDK's connect deadline (10 s by default); report.ts reads it as
  // "Temporal is unavailable".
  const app = await createApp(settings);
  try {
    return await call(app, principal);
  } finally {
    await app.close();
  }
}
