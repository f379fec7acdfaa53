/**
 * Each command of the CLI takes only its own options: a flag of another command, or no command's at all, exits 2
 * with the error and that command's usage (not the whole usage); `<command> --help` prints the command's usage.
 * Settings come from the environment given to `main`, and a malformed one exits 2. Run in process, with no
 * Temporal: every case here ends before anything connects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli';
import { COMMAND_HANDLERS } from '../../../src/cli/command-handlers';
import {
  Command,
  COMMANDS,
  GROUP_COMMANDS,
  parseCommandLine,
  USAGE,
  usageOf,
} from '../../../src/cli/commands';
import { UsageError } from '../../../src/cli/errors';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}

/** The UsageError a command line is refused with. */
function refusal(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

/** A port on which nothing listens: a test that connects by mistake fails instead of reaching a real server. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ALL_COMMANDS = Object.keys(COMMANDS);
const ALL_OPTIONS = [...new Set(Object.values(COMMANDS).flatMap((spec) => Object.keys(spec.options)))];

describe('one option table per command', () => {
  test.each<[string, string[]]>([
    ['occurrences', ['schedule', 'after', 'count']],
    ['rrule', ['schedule']],
    ['json-schema', []],
    ['create', ['input', 'solution']],
    ['update', ['input', 'solution']],
    ['delete', ['reference', 'solution']],
    ['get', ['reference', 'solution']],
    ['list', ['page-size', 'page-token', 'solution']],
    ['pause', ['reference', 'solution']],
    ['resume', ['reference', 'solution']],
    ['stop', ['reference', 'solution']],
    ['retry', ['reference', 'solution']],
    ['status', ['reference', 'solution']],
    ['start', ['reference', 'parameters', 'submitted-by', 'solution']],
    ['run-now', ['reference', 'parameters', 'solution']],
    ['trigger', ['reference', 'solution']],
    ['runs', ['reference', 'limit', 'solution']],
    ['runbooks', ['register', 'register-file', 'solution']],
    ['help', []],
  ])('%s takes exactly %j (and --help)', (command, options) => {
    expect(Object.keys(COMMANDS[command]?.options ?? {})).toEqual(options);
    for (const option of options) {
      expect(parseCommandLine([command, `--${option}`, 'v'])).toEqual({
        kind: 'run',
        command,
        values: { [option]: 'v' },
      });
    }
    for (const other of ALL_OPTIONS.filter((o) => !options.includes(o))) {
      const err = refusal([command, `--${other}`, 'v']);
      expect(err.message).toBe(`${command} does not take --${other}`);
      expect(err.command).toBe(command);
    }
  });

  test('delete --schedule x exits 2 with the error and the usage of delete, not the whole usage', async () => {
    const out = await run(['delete', '--schedule', 'x']);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`delete does not take --schedule\n\n${usageOf(Command.Delete)}\n`);
    expect(out.stderr).not.toContain('Recurrences (no server needed)');
  });

  test('list --reference y exits 2 with the usage of list', async () => {
    const out = await run(['list', '--reference', 'y']);
    expect(out.status).toBe(2);
    expect(out.stderr).toBe(`list does not take --reference\n\n${usageOf(Command.List)}\n`);
  });

  test('an option no command knows, an argument, a missing value and a value on --help are refused', () => {
    expect(refusal(['get', '--nope']).message).toBe('get does not take --nope');
    expect(refusal(['get', '-x']).message).toBe('get does not take -x');
    expect(refusal(['delete', 'x']).message).toBe('delete does not take the argument "x"');
    expect(refusal(['get', '--reference']).message).toBe('--reference needs a value');
    expect(refusal(['get', '--reference', '--solution', 's']).message).toBe('--reference needs a value');
    expect(refusal(['get', '--help=yes']).message).toBe('--help does not take a value');
    expect(refusal(['help', 'get', 'list']).message).toBe('help does not take the argument "list"');
    // A value that starts with a dash is given inline.
    expect(parseCommandLine(['get', '--reference=-x'])).toEqual({
      kind: 'run',
      command: 'get',
      values: { reference: '-x' },
    });
  });

  test('the usage of a command shows every option it takes and none it does not', () => {
    for (const command of ALL_COMMANDS) {
      const usage = usageOf(command);
      const flags = new Set([...usage.matchAll(/--([a-z-]+)/g)].map((m) => m[1]));
      expect(flags).toEqual(new Set([...Object.keys(COMMANDS[command]?.options ?? {}), 'help']));
    }
  });
});

describe('help', () => {
  test.each(ALL_COMMANDS)('%s --help prints the usage of the command, exit 0', async (command) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
    ]) {
      const out = await run(args);
      expect(out).toEqual({ status: 0, stdout: `${usageOf(command)}\n`, stderr: '' });
    }
  });

  test('help <command> prints the usage of that command', async () => {
    expect(await run(['help', 'runs'])).toEqual({ status: 0, stdout: `${usageOf('runs')}\n`, stderr: '' });
  });

  test('help, --help and no command print the general usage, which lists every command', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      expect(await run(args)).toEqual({ status: 0, stdout: `${USAGE}\n`, stderr: '' });
    }
    expect(await run([])).toEqual({ status: 2, stdout: `${USAGE}\n`, stderr: '' });
    for (const command of ALL_COMMANDS)
      expect(USAGE).toMatch(new RegExp(`^ +runbook-scheduler ${command} |^  ${command}( |$)`, 'm'));
  });

  test('an unknown command exits 2 with the general usage', async () => {
    expect(await run(['no-such-command'])).toEqual({
      status: 2,
      stdout: '',
      stderr: `Unknown command "no-such-command"\n\n${USAGE}\n`,
    });
    expect((await run(['help', 'no-such-command'])).stderr).toBe(
      `Unknown command "no-such-command"\n\n${USAGE}\n`,
    );
  });
});

describe('settings and inputs, before anything connects', () => {
  const rule = { frequency: 'daily', interval: 1, start_date: '2025-03-07', time_of_day: '02:30' };

  test('a rule without time_zone takes RUNBOOK_SCHEDULER_DEFAULT_TIME_ZONE from the environment given', async () => {
    const args = [
      'occurrences',
      '--schedule',
      JSON.stringify(rule),
      '--after',
      '2025-03-01T00:00:00Z',
      '--count',
      '2',
    ];
    const zoned = await run(args, { RUNBOOK_SCHEDULER_DEFAULT_TIME_ZONE: 'America/New_York' });
    expect(zoned.status).toBe(0);
    expect(JSON.parse(zoned.stdout)).toEqual({
      occurrences: ['2025-03-07T07:30:00Z', '2025-03-08T07:30:00Z'],
      reason: null,
    });
    expect(await run(args, {})).toEqual({ status: 2, stdout: '', stderr: 'Time zone is required\n' });
  });

  test('a malformed setting exits 2 with its message', async () => {
    expect(await run(['list', '--solution', 's'], { TEMPORAL_TLS: 'maybe' })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'TEMPORAL_TLS must be true or false, got "maybe"\n',
    });
    expect(
      await run(['occurrences', '--schedule', JSON.stringify(rule)], { RUNBOOK_DISPATCH_BACKOFF: '0.5' }),
    ).toEqual({
      status: 2,
      stdout: '',
      stderr: 'RUNBOOK_DISPATCH_BACKOFF must be a number >= 1, got "0.5"\n',
    });
  });

  test('a service command without --solution or RUNBOOK_SCHEDULER_SOLUTION exits 2 with its usage', async () => {
    expect(await run(['list'], { RUNBOOK_SCHEDULER_SOLUTION: '' })).toEqual({
      status: 2,
      stdout: '',
      stderr: `--solution (or RUNBOOK_SCHEDULER_SOLUTION) is required\n\n${usageOf('list')}\n`,
    });
  });

  test('JSON and files are read before connecting: invalid ones exit 2 at once, with Temporal unreachable', async () => {
    const env = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, RUNBOOK_SCHEDULER_SOLUTION: 's' };
    const started = Date.now();
    const badJson = await run(['create', '--input', '{not json'], env);
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toMatch(/^--input is not valid JSON: .+\n\nUsage: runbook-scheduler create /);
    expect((await run(['update'], env)).stderr).toBe(`--input is required\n\n${usageOf('update')}\n`);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-register-'));
    try {
      const missing = path.join(dir, 'runbook.json');
      const unreadable = await run(['runbooks', '--register-file', missing], env);
      expect(unreadable.status).toBe(2);
      expect(unreadable.stderr).toMatch(/^--register-file cannot be read: ENOENT/);
      expect((await run(['runbooks', '--register', '{}', '--register-file', missing], env)).stderr).toBe(
        `Give --register or --register-file, not both\n\n${usageOf('runbooks')}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A connect attempt would have waited for the SDK's deadline (10 s) and exited 1.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('feature groups', () => {
  test('every group command has a handler, every handler a command, and no group takes a built-in name', () => {
    expect(Object.keys(COMMAND_HANDLERS).sort()).toEqual([...GROUP_COMMANDS].sort());
    for (const command of GROUP_COMMANDS) {
      expect(Object.values(Command)).not.toContain(command);
      expect(COMMANDS[command]?.kind).toBe('service');
    }
    expect(new Set(GROUP_COMMANDS).size).toBe(GROUP_COMMANDS.length);
  });
});
