/**
 * Child processes for the catalog tests: the fixture scripts of `test/fixtures/catalog-*.ts`, run through tsx
 * as separate Node processes, so that locks and crashes are those of real processes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

/** A running fixture script: its lines of stdout, in order, and its end. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the next stdout line that satisfies `match` (earlier lines are dropped). */
  nextLine(match?: (line: string) => boolean): Promise<string>;
  /** Resolves when the process has ended, with its exit code and signal, and what it wrote on stderr. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `test/fixtures/<script>` with `args`, in this process's environment or `env`. */
export function startFixture(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(FIXTURES, script), ...args], {
    cwd: path.join(__dirname, '..', '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(env ? { env } : {}),
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((wake) => wake());
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
    waiters.splice(0).forEach((wake) => wake());
  });
  const nextLine = async (match: (line: string) => boolean = () => true): Promise<string> => {
    for (;;) {
      const index = lines.findIndex(match);
      if (index >= 0) {
        const [line] = lines.splice(0, index + 1).slice(-1);
        return line as string;
      }
      if (ended) {
        const { code, signal } = await exited;
        throw new Error(
          `${script} ended (code ${code}, signal ${signal}) before the expected line:\n${stderr}`,
        );
      }
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { process: child, nextLine, exited };
}

/** Kills a child with SIGKILL (no chance to roll back or release anything itself) and waits for its end. */
export async function killHard(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
}
