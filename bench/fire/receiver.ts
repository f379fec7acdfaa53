/**
 * The fire benchmark's runbook: a local HTTP receiver that records each delivery's Idempotency-Key, its nominal
 * instant (the product's `triggered_at`, the baseline's `nominal`) and its arrival time, and the figures of a
 * set of expected fires: lateness quantiles, missed, duplicates, run starts per second.
 */
import { createServer, type Server } from 'node:http';

/** One delivery. */
export interface Arrival {
  readonly key: string;
  readonly nominalMs: number;
  readonly arrivalMs: number;
}

/** The receiver; `close()` when done. */
export interface Receiver {
  readonly url: string;
  readonly arrivals: Arrival[];
  close(): Promise<void>;
}

/** Starts the receiver on a free loopback port. */
export async function startReceiver(): Promise<Receiver> {
  const arrivals: Arrival[] = [];
  const server: Server = createServer((req, res) => {
    const arrivalMs = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          triggered_at?: string;
          nominal?: string;
        };
        const key = String(req.headers['idempotency-key'] ?? '');
        arrivals.push({ key, nominalMs: Date.parse(body.triggered_at ?? body.nominal ?? ''), arrivalMs });
      } catch {
        // not a fire
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/fire`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The figures of one mode. */
export interface FireFigures {
  readonly expected: number;
  readonly delivered: number;
  readonly missed: number;
  readonly duplicates: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Deliveries per second while a round's fires arrived (first to last arrival of each round). */
  readonly startsPerSecond: number;
}

/** The `q` quantile of ascending `sorted` (nearest rank); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

/**
 * Figures of the arrivals whose nominal instant is one of `instants` (ms), `expected` fires in all.
 * A late fire counts from its first delivery; later deliveries with the same key are duplicates.
 */
export function figuresOf(
  arrivals: readonly Arrival[],
  instants: readonly number[],
  expected: number,
): FireFigures {
  const wanted = new Set(instants);
  const first = new Map<string, Arrival>();
  let duplicates = 0;
  for (const a of arrivals) {
    if (!wanted.has(a.nominalMs)) continue;
    if (first.has(a.key)) duplicates++;
    else first.set(a.key, a);
  }
  const late = [...first.values()].map((a) => (a.arrivalMs - a.nominalMs) / 1000).sort((x, y) => x - y);
  let spanMs = 0;
  for (const instant of instants) {
    const times = [...first.values()].filter((a) => a.nominalMs === instant).map((a) => a.arrivalMs);
    if (times.length > 1) spanMs += Math.max(...times) - Math.min(...times);
  }
  return {
    expected,
    delivered: first.size,
    missed: expected - first.size,
    duplicates,
    p50: quantile(late, 0.5),
    p95: quantile(late, 0.95),
    p99: quantile(late, 0.99),
    max: late[late.length - 1] ?? NaN,
    startsPerSecond: spanMs > 0 ? first.size / (spanMs / 1000) : NaN,
  };
}
