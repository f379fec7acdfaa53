/**
 * What every fuzz suite shares: how many runs, the fixed seeds, what "a message names a field" means, and the
 * per-call timing the suites assert on and report.
 *
 * A message **names a field** when it begins with the display name of one of the input's fields followed by a
 * space. Display names are derived from the published JSON Schema of the input, never listed by hand: for every
 * property `key` at any depth, `Humanised key` (`time_zone` -> `Time zone`) and `Parent key` (`target.url` ->
 * `Target url`, a top-level `uuid` of a runbook -> `Runbook uuid`), plus the input's own name (`Recurrence`,
 * `Input`) for messages about the whole value (`Recurrence must be an object`). zod's default messages
 * (`Invalid input: expected string, received number`), a `RangeError`'s text or a stack overflow name no field.
 */
import { inspect } from 'node:util';
import { z } from 'zod';

/** Runs per property: 10,000 under `npm test`, `FUZZ_RUNS` under `npm run fuzz` (100,000). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
if (!Number.isInteger(FUZZ_RUNS) || FUZZ_RUNS < 1) throw new Error(`FUZZ_RUNS must be a positive integer`);

/** A fuzz test's timeout: jest's default for 10,000 runs, longer in proportion for more. */
export const FUZZ_TIMEOUT_MS = Math.max(120_000, FUZZ_RUNS * 12);

/** Fixed seeds: a failure reproduces with the same seed (fast-check prints it with the counterexample). */
export const SEEDS = { recurrence: 9_001, inputs: 9_002, registration: 9_003, http: 9_004 } as const;

/** Calls excluded from the timing bound: the first ones load code, compile regexes and build zone tables. */
export const WARM_UP_CALLS = 50;
/** No single call may take longer than this, in ms (issue 9, item 9). */
export const MAX_CALL_MS = 50;

/** `time_zone` -> `Time zone`. */
function humanise(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every display name of the fields of a JSON Schema (see the module comment), with `root` as the top's name. */
export function displayNames(schema: unknown, root: string): Set<string> {
  const names = new Set<string>([root]);
  const pending: Array<[unknown, string]> = [[schema, root]];
  while (pending.length > 0) {
    const [node, parent] = pending.pop() as [unknown, string];
    if (node === null || typeof node !== 'object') continue;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    for (const [key, child] of Object.entries(properties ?? {})) {
      names.add(humanise(key));
      names.add(`${humanise(parent)} ${key.replace(/_/g, ' ')}`);
      pending.push([child, key]);
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'properties') pending.push([child, parent]);
    }
  }
  return names;
}

/** The display names of a zod input schema's fields. */
export function fieldNamesOf(schema: z.ZodType, root: string): Set<string> {
  return displayNames(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), root);
}

/** Whether `message` names one of `names` (see the module comment). */
export function namesAField(message: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (message.startsWith(`${name} `)) return true;
  return false;
}

/** The union of sets of names. */
export function union(...sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  return new Set(sets.flatMap((set) => [...set]));
}

/** Times each call over {@link MAX_CALL_MS} is run again by {@link Timings.remeasure}, keeping the fastest. */
export const REMEASURE_RUNS = 10;

/**
 * Wall-clock durations of one kind of call, in the order they were made. A call over {@link MAX_CALL_MS} after
 * the warm-up is kept, so that {@link remeasure} can tell a slow input (slow every time) from a pause of the
 * process (a major garbage collection, another process on the CPU), which strikes one call and not its re-run.
 */
export class Timings {
  private readonly ms: number[] = [];
  private readonly outliers: Array<() => unknown> = [];

  /** Runs `call`, recording how long it took. */
  time<T>(call: () => T): T {
    const started = performance.now();
    try {
      return call();
    } finally {
      this.record(performance.now() - started, call);
    }
  }

  /** Awaits `call`, recording how long it took. */
  async timeAsync<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.record(performance.now() - started, call);
    }
  }

  private record(ms: number, call: () => unknown): void {
    if (this.ms.length >= WARM_UP_CALLS && ms > MAX_CALL_MS) this.outliers.push(call);
    this.ms.push(ms);
  }

  /** Calls, warm-up included. */
  get count(): number {
    return this.ms.length;
  }

  /** Max, median and 99th percentile after the warm-up, plus the warm-up's own max, in ms. */
  summary(): {
    calls: number;
    warmUpMaxMs: number;
    maxMs: number;
    medianMs: number;
    p99Ms: number;
    over: number;
  } {
    const measured = this.ms.slice(WARM_UP_CALLS).sort((a, b) => a - b);
    const at = (q: number) => measured[Math.min(measured.length - 1, Math.floor(q * measured.length))] ?? 0;
    return {
      calls: this.ms.length,
      warmUpMaxMs: round(Math.max(0, ...this.ms.slice(0, WARM_UP_CALLS))),
      maxMs: round(measured[measured.length - 1] ?? 0),
      medianMs: round(at(0.5)),
      p99Ms: round(at(0.99)),
      over: this.outliers.length,
    };
  }

  /**
   * Runs every call that took over {@link MAX_CALL_MS} again, {@link REMEASURE_RUNS} times, and answers the
   * slowest of their fastest runs (0 without such calls): over the bound only for an input slow every time.
   */
  async remeasure(): Promise<number> {
    let slowest = 0;
    for (const call of this.outliers) {
      let fastest = Infinity;
      for (let i = 0; i < REMEASURE_RUNS; i++) {
        const started = performance.now();
        try {
          await call();
        } catch {
          // Its outcome was judged on the first run; only the time counts here.
        }
        fastest = Math.min(fastest, performance.now() - started);
      }
      slowest = Math.max(slowest, fastest);
    }
    return round(slowest);
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Prints one line of figures for `test/fuzz/REPORT.md`. */
export function report(surface: string, figures: Record<string, unknown>): void {
  console.log(`fuzz ${surface}: ${JSON.stringify({ runs: FUZZ_RUNS, ...figures })}`);
}

/** A one-line, bounded rendering of any value (cycles, bigints and 70 KB strings included), for reports. */
export function preview(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 80, maxArrayLength: 10 }).slice(
    0,
    600,
  );
}
