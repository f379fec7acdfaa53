/**
 * The commands of the `runbook-scheduler` CLI, each with the only options it accepts, their usage texts, and the
 * parsing of a command line against them. Pure: no I/O, no environment.
 */
import { parseArgs } from 'node:util';
import { COMMAND_GROUP_SPECS } from './command-groups';
import { UsageError } from './errors';

/** The CLI's commands. */
export const Command = {
  Occurrences: 'occurrences',
  RRule: 'rrule',
  JsonSchema: 'json-schema',
  Create: 'create',
  Update: 'update',
  Delete: 'delete',
  Get: 'get',
  List: 'list',
  Trigger: 'trigger',
  Runs: 'runs',
  Runbooks: 'runbooks',
  Help: 'help',
} as const;
/** A command of the CLI. */
export type Command = (typeof Command)[keyof typeof Command];

/** What a command works on, which decides the group it is listed in. */
export const CommandKind = {
  /** Recurrence previews and exports: no server needed. */
  Recurrence: 'recurrence',
  /** Operations of the service on one solution's schedules and runbooks: connects to Temporal. */
  Service: 'service',
  /** The usage texts. */
  Help: 'help',
} as const;
/** What a command works on. */
export type CommandKind = (typeof CommandKind)[keyof typeof CommandKind];

/** A string-valued option (`--name <value>` or `--name=<value>`). */
export interface OptionSpec {
  /** Placeholder of the value in the usage, e.g. `<ref>`. */
  readonly value: string;
  /** What it is, with its default. */
  readonly description: string;
  /**
   * Shown without brackets in the usage. The CLI checks `--input` and `--schedule` itself; the service's schemas
   * check the others (a missing `--reference` is `Schedule reference is required`).
   */
  readonly required?: boolean;
}

/** One command: what it does and the only options it accepts. */
export interface CommandSpec {
  readonly kind: CommandKind;
  /** What it does, in a few words. */
  readonly summary: string;
  /** Its options, in usage order. Every command also takes `-h`/`--help`. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Placeholder of the one positional argument it takes, if any. */
  readonly positional?: string;
}

const schedule: OptionSpec = {
  value: "'<json>'",
  description: 'the recurrence object (see json-schema)',
  required: true,
};
const input: OptionSpec = { value: "'<json>'", description: 'the input, a JSON object', required: true };
const reference: OptionSpec = { value: '<ref>', description: "the schedule's reference", required: true };
const solution: OptionSpec = {
  value: '<name>',
  description: 'the solution the command acts in (default: RUNBOOK_SCHEDULER_SOLUTION)',
};

/** The built-in commands with their own option tables. */
const BUILT_IN_COMMANDS: { readonly [C in Command]: CommandSpec } = {
  occurrences: {
    kind: CommandKind.Recurrence,
    summary: 'next N occurrences (default 10)',
    options: {
      schedule,
      after: {
        value: '<ISO 8601>',
        description: 'the instant to start after, with its offset, e.g. 2025-03-01T00:00:00Z (default: now)',
      },
      count: { value: 'N', description: 'how many, from 1 to 10000 (default 10)' },
    },
  },
  rrule: { kind: CommandKind.Recurrence, summary: 'the rule as RFC 5545 text', options: { schedule } },
  'json-schema': {
    kind: CommandKind.Recurrence,
    summary: 'JSON Schema of the recurrence object',
    options: {},
  },
  create: {
    kind: CommandKind.Service,
    summary: 'Create Schedule from {runbook_uuid, schedule_reference, schedule, request_body?}',
    options: { input, solution },
  },
  update: {
    kind: CommandKind.Service,
    summary: 'Update Schedule from {schedule_reference, schedule}',
    options: { input, solution },
  },
  delete: {
    kind: CommandKind.Service,
    summary: 'Delete Schedule, and cancel its runs still dispatching',
    options: { reference, solution },
  },
  get: {
    kind: CommandKind.Service,
    summary: 'one schedule, with paused, next_action_times, last_error',
    options: { reference, solution },
  },
  list: {
    kind: CommandKind.Service,
    summary: "the solution's schedules: all of them, or one page with --page-size / --page-token",
    options: {
      'page-size': {
        value: 'N',
        description: 'schedules on the page, from 1 to 1000 (default: every page, 100 a page)',
      },
      'page-token': { value: '<token>', description: 'the next_page_token of the previous page' },
      solution,
    },
  },
  trigger: {
    kind: CommandKind.Service,
    summary: 'fire now, outside the cadence',
    options: { reference, solution },
  },
  runs: {
    kind: CommandKind.Service,
    summary: 'its most recent runs, also after delete (default 50)',
    options: {
      reference,
      limit: { value: 'N', description: 'how many of the most recent runs, from 1 to 1000 (default 50)' },
      solution,
    },
  },
  runbooks: {
    kind: CommandKind.Service,
    summary: 'list the runbooks, or register one',
    options: {
      register: { value: "'<json>'", description: 'register this runbook (not with --register-file)' },
      'register-file': {
        value: '<path>',
        description: 'register the runbook in this JSON file (not with --register)',
      },
      solution,
    },
  },
  help: {
    kind: CommandKind.Help,
    summary: 'the usage of every command, or of one',
    options: {},
    positional: '[<command>]',
  },
};

/**
 * Every command, the built-in ones and those of the feature groups (`src/cli/command-groups.ts`), each with its
 * own option table: a flag that is not in a command's table is refused.
 */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  ...Object.fromEntries(COMMAND_GROUP_SPECS.flatMap((group) => Object.entries(group.commands))),
  ...BUILT_IN_COMMANDS,
};

/** The commands of the feature groups, run by their handlers (`src/cli/command-handlers.ts`). */
export const GROUP_COMMANDS: readonly string[] = COMMAND_GROUP_SPECS.flatMap((group) =>
  Object.keys(group.commands),
);

const CONNECTION =
  'Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY.';

const isCommand = (name: string): boolean => Object.hasOwn(COMMANDS, name);

function optionSynopsis(name: string, option: OptionSpec): string {
  const text = `--${name} ${option.value}`;
  return option.required ? text : `[${text}]`;
}

/** The arguments after a command's name, as its usage shows them. */
function synopsisOf(command: string, { withSolution }: { withSolution: boolean }): string {
  const spec = specOf(command);
  return [
    command,
    ...Object.entries(spec.options)
      .filter(([name]) => withSolution || name !== 'solution')
      .map(([name, option]) => optionSynopsis(name, option)),
    ...(spec.positional ? [spec.positional] : []),
  ].join(' ');
}

function specOf(command: string): CommandSpec {
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`Unknown command "${command}"`);
  return spec;
}

function lines(commands: readonly string[]): string[] {
  const synopses = commands.map((c) => synopsisOf(c, { withSolution: false }));
  const width = Math.max(...synopses.map((s) => s.length));
  return commands.map((c, i) => `  ${(synopses[i] ?? '').padEnd(width)}   ${specOf(c).summary}`);
}

function groupLines(kind: CommandKind): string[] {
  return lines(
    (Object.keys(BUILT_IN_COMMANDS) as Command[]).filter((c) => BUILT_IN_COMMANDS[c].kind === kind),
  );
}

const HELP_SUMMARY = `${BUILT_IN_COMMANDS.help.summary} (or <command> --help)`;

/** The general usage: every command, grouped by what it needs. */
export const USAGE = [
  'Usage: runbook-scheduler <command> [options]',
  `       runbook-scheduler ${synopsisOf(Command.Help, { withSolution: false })}   ${HELP_SUMMARY}`,
  '',
  'Recurrences (no server needed):',
  ...groupLines(CommandKind.Recurrence),
  '',
  'Schedules (scoped by --solution or RUNBOOK_SCHEDULER_SOLUTION):',
  ...groupLines(CommandKind.Service),
  ...COMMAND_GROUP_SPECS.flatMap((group) => ['', `${group.title}:`, ...lines(Object.keys(group.commands))]),
  '',
  CONNECTION,
].join('\n');

/** The usage of one command: its synopsis, what it does, and each option it takes. */
export function usageOf(command: string): string {
  const spec = specOf(command);
  const options: [string, string][] = [
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [
      `--${name} ${o.value}`,
      o.description,
    ]),
    ['-h, --help', 'this text'],
  ];
  const width = Math.max(...options.map(([flag]) => flag.length));
  return [
    `Usage: runbook-scheduler ${synopsisOf(command, { withSolution: true })}`,
    '',
    `${spec.summary[0]?.toUpperCase() ?? ''}${spec.summary.slice(1)}.`,
    '',
    'Options:',
    ...options.map(([flag, description]) => `  ${flag.padEnd(width)}   ${description}`),
    ...(spec.kind === CommandKind.Service ? ['', CONNECTION] : []),
    ...(spec.kind === CommandKind.Recurrence ? ['', 'Needs no server.'] : []),
  ].join('\n');
}

/** A parsed command line. */
export type Invocation =
  /** Print a usage text and exit with `status` (0 when asked for, 2 when no command was given). */
  | { readonly kind: 'usage'; readonly text: string; readonly status: 0 | 2 }
  /** Run `command` with its option values (absent options are absent). */
  | {
      readonly kind: 'run';
      readonly command: string;
      readonly values: Readonly<Record<string, string>>;
    };

/**
 * Parses a command line (`argv` without node and the script) against the command's own option table.
 *
 * `help`, `--help` and `-h` give the general usage; `<command> --help` and `help <command>` that command's; no
 * command at all gives the general usage with status 2.
 * @throws {@link UsageError} for an unknown command (general usage), or an option the command does not take, an
 * option without its value, or an argument it does not take (that command's usage).
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const [name, ...args] = argv;
  if (name === undefined) return { kind: 'usage', text: USAGE, status: 2 };
  if (name === '--help' || name === '-h') return { kind: 'usage', text: USAGE, status: 0 };
  if (!isCommand(name)) throw new UsageError(`Unknown command "${name}"`);
  const spec = specOf(name);
  const stringOptions = Object.fromEntries(
    Object.keys(spec.options).map((option) => [option, { type: 'string' as const }]),
  );
  // Not strict: the tokens are checked below against this command's table, with messages that name the command.
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...stringOptions, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string> = {};
  const positionals: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!spec.positional || positionals.length > 0) {
        throw new UsageError(`${name} does not take the argument "${token.value}"`, name);
      }
      positionals.push(token.value);
    } else if (token.name === 'help') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} does not take a value`, name);
      help = true;
    } else if (!Object.hasOwn(spec.options, token.name)) {
      throw new UsageError(`${name} does not take ${token.rawName}`, name);
    } else {
      // A following flag is not a value (`--reference --solution x`); `--reference=-x` still gives one.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
        throw new UsageError(`${token.rawName} needs a value`, name);
      }
      values[token.name] = token.value;
    }
  }
  if (name === Command.Help) {
    const [topic] = positionals;
    if (help) return { kind: 'usage', text: usageOf(Command.Help), status: 0 };
    if (topic === undefined) return { kind: 'usage', text: USAGE, status: 0 };
    if (!isCommand(topic)) throw new UsageError(`Unknown command "${topic}"`);
    return { kind: 'usage', text: usageOf(topic), status: 0 };
  }
  if (help) return { kind: 'usage', text: usageOf(name), status: 0 };
  return { kind: 'run', command: name, values };
}
