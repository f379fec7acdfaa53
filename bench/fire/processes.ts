/**
 * Processes of the fire benchmark: the dev server (started as the integration tests start it,
 * `test/fixtures/dev-server.ts`) and the worker children, with their CPU time and RSS read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startDevServer as startTestDevServer, type DevServerOptions } from '../../test/fixtures/dev-server';

/** A child process with its CPU and memory. */
export interface Child {
  readonly process: ChildProcess;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Resident set size now, MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

function wrap(child: ChildProcess): Child {
  const pid = child.pid ?? -1;
  return {
    process: child,
    cpuSeconds: () => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      } catch {
        return 0;
      }
    },
    rssMb: () => {
      try {
        const line = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return Number(line?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A running dev server. */
export interface DevServer extends Child {
  readonly address: string;
}

/** Starts the embedded dev server (as the tests do) with the given options (dynamic config, SQLite pragmas). */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const server = await startTestDevServer(options);
  return { ...wrap(server.child), address: server.address, stop: () => server.stop() };
}

/** A child process started by {@link startChild}, with the output that said it was ready. */
export interface StartedChild extends Child {
  readonly readyOutput: string;
}

/**
 * Starts `node --import tsx <script> ...args` with `env` over this process's environment; waits until its output
 * matches `ready` (`ready`, or the worker fixture's `{"identity": ...}` line, by default).
 */
export async function startChild(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  ready: RegExp = /ready|identity/,
): Promise<StartedChild> {
  // BENCH_CPU_PROFILE_DIR=<dir> writes each child's CPU profile there when it exits (`node --cpu-prof`).
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const readyOutput = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready.test(chunk.toString())) resolve(chunk.toString());
    });
  });
  child.stdout?.resume();
  return { ...wrap(child), readyOutput };
}
