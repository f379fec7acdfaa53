/**
 * The CLI's commands of operating a schedule (FEATURES.md B1-B3, B8): start, pause, resume, stop, retry, status
 * (Refresh) and run-now, acting as the CLI's user (`settings.user`, `settings.roles`). Option tables and
 * handlers; the values are parsed before anything connects.
 */
import { parseInput } from '../connector/parse';
import { OperationInputSchema, RunNowInputSchema, StartScheduleInputSchema } from '../operations/inputs';
import type { CommandGroupSpec } from './command-groups';
import type { CommandHandler, Values } from './command-handlers';
import type { CommandSpec, OptionSpec } from './commands';
import { UsageError } from './errors';

const reference: OptionSpec = { value: '<ref>', description: "the schedule's reference", required: true };
const solution: OptionSpec = {
  value: '<name>',
  description: 'the solution (default RUNBOOK_SCHEDULER_SOLUTION)',
};
const parameters: OptionSpec = {
  value: "'<json>'",
  description: 'new parameter values, a JSON object of names to strings',
};

const simple = (summary: string): CommandSpec => ({
  kind: 'service',
  summary,
  options: { reference, solution },
});

/** The operation commands: their option tables and summaries. */
export const OPERATION_COMMANDS: CommandGroupSpec = {
  title: 'Operating a schedule',
  commands: {
    start: {
      kind: 'service',
      summary: 'start a stopped or paused schedule: fires from now on, no catch-up',
      options: {
        reference,
        parameters,
        'submitted-by': {
          value: '<user>',
          description: 'the user its runs are submitted as (ServiceAdministrator only; default the CLI user)',
        },
        solution,
      },
    },
    pause: simple('pause a schedule (durable: reads Pausing until it completes)'),
    resume: simple('resume a paused schedule: fires from now on'),
    stop: simple('stop a schedule: it no longer fires, its queued instance is aborted'),
    retry: simple('re-drive a pending operation (once every 10 minutes per schedule)'),
    status: simple('Refresh: status, pending and last operation, submitting user, parameters'),
    'run-now': {
      kind: 'service',
      summary: 'run an instance now, outside the cadence, submitted by the CLI user',
      options: { reference, parameters, solution },
    },
  },
};

/** The JSON object of `--parameters`, or undefined when absent. */
function parametersOf(command: string, values: Values): unknown {
  const text = values.parameters;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`--parameters is not valid JSON: ${(err as Error).message}`, command);
  }
}

type Simple = 'pause' | 'resume' | 'stop' | 'retry' | 'status';

const simpleHandler =
  (method: Simple): CommandHandler =>
  (values) => {
    const input = parseInput(OperationInputSchema, { schedule_reference: values.reference });
    return async (app, principal) => ({ json: await app.operations[method](principal, input) });
  };

/** The handlers of {@link OPERATION_COMMANDS}. */
export const OPERATION_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  start: (values) => {
    const given = parametersOf('start', values);
    const input = parseInput(StartScheduleInputSchema, {
      schedule_reference: values.reference,
      ...(given === undefined ? {} : { parameters: given }),
      ...(values['submitted-by'] === undefined ? {} : { submitted_by: values['submitted-by'] }),
    });
    return async (app, principal) => ({ json: await app.operations.start(principal, input) });
  },
  pause: simpleHandler('pause'),
  resume: simpleHandler('resume'),
  stop: simpleHandler('stop'),
  retry: simpleHandler('retry'),
  status: simpleHandler('status'),
  'run-now': (values) => {
    const given = parametersOf('run-now', values);
    const input = parseInput(RunNowInputSchema, {
      schedule_reference: values.reference,
      ...(given === undefined ? {} : { parameters: given }),
    });
    return async (app, principal) => ({ json: await app.operations.runNow(principal, input) });
  },
};
