/**
 * The stage of a fault script: a Temporal dev server on its own SQLite file (kept across restarts), a local
 * runbook that records every request, a data directory, and the environment product processes are wired from
 * (`loadSettings`), with helpers to start the product's worker and HTTP API as real child processes, to kill and
 * restart them, and to tell which occurrences reached the runbook.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startDevServer, type DevServer } from '../../test/fixtures/dev-server';
import { startHttpReceiver, type HttpReceiver, type RecordedRequest } from '../../test/integration/harness';
import { killHard, startFixture, type Child } from '../../test/unit/catalog/children';

/** A product process started by the scene. */
export interface ProductProcess {
  readonly child: Child;
  /** The HTTP API's port (API processes only). */
  readonly port?: number;
}

/** See the module comment. */
export interface Scene {
  server: DevServer;
  readonly receiver: HttpReceiver;
  readonly dataDir: string;
  readonly token: string;
  readonly solution: string;
  /** The environment the product's processes are started with. */
  readonly env: NodeJS.ProcessEnv;
  startWorker(): Promise<ProductProcess>;
  startApi(): Promise<ProductProcess>;
  /** Stops the dev server (politely or with SIGKILL) and starts it again on the same file and port. */
  restartServer(signal: 'SIGTERM' | 'SIGKILL', downMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link Scene}: dev server, runbook receiver, environment. */
export async function startScene(name: string): Promise<Scene> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `rbs-fault-${name}-`));
  const dbFile = path.join(dataDir, 'temporal.db');
  const [server, receiver] = await Promise.all([startDevServer({ dbFile }), startHttpReceiver()]);
  const token = `token-${randomUUID()}`;
  const solution = `fault-${name}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: `rbs-fault-${name}`,
    RUNBOOK_SCHEDULER_DATA_DIR: path.join(dataDir, 'product'),
    RUNBOOK_SCHEDULER_API_TOKENS: `${token}=${solution}:operator:IntegrationAuthor+ServiceAdministrator`,
    RUNBOOK_SCHEDULER_EGRESS_ALLOW: '127.0.0.0/8',
    RUNBOOK_SCHEDULER_RATE_LIMIT: '1000000',
  };
  const processes: ProductProcess[] = [];
  const start = async (script: string): Promise<ProductProcess> => {
    const child = startFixture(script, [], env);
    const line = JSON.parse(await child.nextLine((l) => l.startsWith('{'))) as { port?: number };
    const started = { child, ...(line.port === undefined ? {} : { port: line.port }) };
    processes.push(started);
    return started;
  };
  const scene: Scene = {
    server,
    receiver,
    dataDir,
    token,
    solution,
    env,
    startWorker: () => start('product-worker-process.ts'),
    startApi: () => start('product-api-process.ts'),
    async restartServer(signal, downMs) {
      await scene.server.stop({ signal, keep: true });
      await new Promise((resolve) => setTimeout(resolve, downMs));
      scene.server = await startDevServer({ dbFile, port: scene.server.port });
    },
    async close() {
      await Promise.all(processes.map((p) => killHard(p.child)));
      await Promise.all([receiver.close(), scene.server.stop({ keep: true })]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return scene;
}

/** One request the runbook received, as the product dispatched it. */
export interface Delivery {
  readonly path: string;
  readonly triggeredAt: string;
  readonly idempotencyKey: string;
  readonly receivedAt: Date;
}

/** The A3 body's `triggered_at`, or '' when the body has none. */
function triggeredAtOf(body: unknown): string {
  const value = (body as { triggered_at?: unknown } | undefined)?.triggered_at;
  return typeof value === 'string' ? value : '';
}

/** The requests of `receiver` as deliveries (the A3 body's `triggered_at`, the `Idempotency-Key` header). */
export function deliveries(receiver: HttpReceiver): Delivery[] {
  return receiver.requests.map((r: RecordedRequest) => ({
    path: r.path,
    triggeredAt: triggeredAtOf(r.body),
    idempotencyKey: String(r.headers['idempotency-key'] ?? ''),
    receivedAt: r.receivedAt,
  }));
}

/** What became of the expected occurrences: delivered, missing, repeated (and whether repeats kept their key). */
export interface DeliveryFigures {
  readonly expected: number;
  readonly delivered: number;
  readonly missing: string[];
  /** Occurrences delivered more than once. */
  readonly repeated: number;
  /** Repeats whose Idempotency-Key differed from the first delivery's (must be 0). */
  readonly repeatsWithAnotherKey: number;
  /** Deliveries of instants up to the window's end that are not occurrences of their schedule (must be 0). */
  readonly unexpected: string[];
}

/**
 * Compares deliveries with the occurrences expected per receiver path (`path -> ISO instants`) up to `untilMs`,
 * the window's end (later fires, made while the script waits for stragglers, are neither expected nor unexpected).
 */
export function compareDeliveries(
  expected: Map<string, string[]>,
  got: Delivery[],
  untilMs: number,
): DeliveryFigures {
  const byOccurrence = new Map<string, Delivery[]>();
  for (const d of got) {
    const key = `${d.path} ${d.triggeredAt}`;
    byOccurrence.set(key, [...(byOccurrence.get(key) ?? []), d]);
  }
  const wanted = new Set([...expected].flatMap(([p, instants]) => instants.map((i) => `${p} ${i}`)));
  const missing = [...wanted].filter((k) => !byOccurrence.has(k));
  const repeats = [...byOccurrence.values()].filter((ds) => ds.length > 1);
  const watched = new Set(expected.keys());
  return {
    expected: wanted.size,
    delivered: [...wanted].filter((k) => byOccurrence.has(k)).length,
    missing,
    repeated: repeats.length,
    repeatsWithAnotherKey: repeats.filter((ds) => new Set(ds.map((d) => d.idempotencyKey)).size > 1).length,
    unexpected: [...byOccurrence.entries()]
      .filter(
        ([k, [d]]) =>
          watched.has(d?.path ?? '') && Date.parse(d?.triggeredAt ?? '') <= untilMs && !wanted.has(k),
      )
      .map(([k]) => k),
  };
}

/** The instants `start + k * periodMs` in [from, to], ISO seconds (the A3 `triggered_at` format). */
export function instantsBetween(startMs: number, periodMs: number, from: number, to: number): string[] {
  const out: string[] = [];
  const first = startMs + Math.max(0, Math.ceil((from - startMs) / periodMs)) * periodMs;
  for (let t = first; t <= to; t += periodMs) out.push(new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  return out;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads `--name value` flags as numbers, with defaults. */
export function numberFlags<T extends Record<string, number>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '') ?? '';
    const value = Number(argv[i + 1]);
    if (!(name in defaults) || !Number.isFinite(value)) {
      throw new Error(
        `unknown flag or bad value: ${argv[i]} ${argv[i + 1]} (flags: ${Object.keys(defaults).join(', ')})`,
      );
    }
    out[name] = value;
  }
  return out as T;
}
