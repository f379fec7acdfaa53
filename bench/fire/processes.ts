/**
 * Processes of the fire benchmark: the dev server (started like the integration tests: the temporal CLI on free
 * ports with a temporary SQLite file, search attributes through `temporal-dev.sh ensure-search-attributes`) and
 * the worker children, with their CPU time and RSS read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { freePort, resolveTemporalCli, runDevScript, sleep } from '../../test/integration/harness';

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

function wrap(child: ChildProcess, cleanup: () => void = () => undefined): Child {
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
      cleanup();
    },
  };
}

/** A running dev server. */
export interface DevServer extends Child {
  readonly address: string;
}

/** Starts the embedded dev server with the given `--dynamic-config-value key=value` flags. */
export async function startDevServer(dynamicConfig: readonly string[]): Promise<DevServer> {
  const cli = resolveTemporalCli();
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rbs-fire-bench-'));
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(await freePort()),
    '--namespace',
    'default',
    '--db-filename',
    path.join(dir, 'temporal.db'),
    '--log-format',
    'text',
    '--log-level',
    'error',
    '--dynamic-config-value',
    'system.forceSearchAttributesCacheRefreshOnRead=true',
    ...dynamicConfig.flatMap((value) => ['--dynamic-config-value', value]),
    ...CUSTOM_SEARCH_ATTRIBUTES.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(cli, args, { stdio: 'ignore' });
  const server = wrap(child, () => rmSync(dir, { recursive: true, force: true }));
  for (let waited = 0; ; waited += 250) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      await connection.close();
      break;
    } catch (err) {
      if (waited > 60_000 || child.exitCode !== null) {
        await server.stop();
        throw err;
      }
      await sleep(250);
    }
  }
  runDevScript(['ensure-search-attributes'], { TEMPORAL_CLI: cli, TEMPORAL_ADDRESS: address });
  return { ...server, address };
}

/** Starts `node --import tsx <script> ...args` with `env` over this process's environment; waits for a line. */
export async function startChild(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (/ready|identity/.test(chunk.toString())) resolve();
    });
  });
  child.stdout?.resume();
  return wrap(child);
}
