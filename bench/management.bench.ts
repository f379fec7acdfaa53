/**
 * Management at N schedules (issue 13, point 4), on demand (not in CI):
 *
 *   npm run bench:management -- --n 10000 [--concurrency 8] [--list-samples 9]
 *
 * One run starts its own dev server (like the integration tests: free ports, temporary SQLite, the product's
 * search attributes), the product's HTTP API and worker as child processes (`test/fixtures/product-*-process.ts`),
 * and measures on that one server, in this order: create N schedules through `POST /v1/schedules`, then N raw
 * `client.schedule.create`; the first page of `GET /v1/schedules` at N (median of several), beside a raw
 * `ListSchedules` page; update the N product schedules (`PUT`), then the N raw ones (`handle.update`); delete the
 * N product schedules (`DELETE`), then the N raw ones. Every phase runs `--concurrency` callers. The API's and the
 * worker's RSS are read from /proc. Appends its table to bench/RESULTS.md (see {@link METHOD}).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TriggerTemplate } from '../src/catalog/model';
import { DEFAULT_DISPATCH_RETRY } from '../src/config';
import { buildRunInput } from '../src/connector/run-inputs';
import { normalizeRecurrence } from '../src/recurrence';
import { compileSchedule } from '../src/temporal/compile';
import { runbookSchedulesQuery } from '../src/temporal/schedule-list';
import { buildScheduleOptions, scheduleMemo } from '../src/temporal/schedule-options';
import { apiCall } from '../test/fixtures/api-call';
import { pool } from './fire/modes';
import { startChild, startDevServer, type Child } from './fire/processes';

const RESULTS = path.join(__dirname, 'RESULTS.md');
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures');

interface Options {
  n: number;
  concurrency: number;
  listSamples: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { n: 1000, concurrency: 8, listSamples: 9 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => Number(argv[++i]);
    if (flag === '--n') options.n = next();
    else if (flag === '--concurrency') options.concurrency = next();
    else if (flag === '--list-samples') options.listSamples = next();
    else throw new Error(`unknown argument ${flag}`);
  }
  if (![options.n, options.concurrency, options.listSamples].every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error('--n, --concurrency and --list-samples take positive integers');
  }
  return options;
}

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
/** The commit measured, read when the run starts (its processes load the code then). */
const commitAtStart = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);

/** One timed phase: how many calls, how many failed, over how long. */
interface Phase {
  readonly name: string;
  readonly calls: number;
  readonly failures: number;
  readonly seconds: number;
  readonly load: string;
  readonly firstFailure?: string;
}

/** Runs `call` for 0..n-1 with `concurrency` callers, timing the whole and counting the calls that threw. */
async function phase(
  name: string,
  n: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
): Promise<Phase> {
  let failures = 0;
  let firstFailure: string | undefined;
  const t0 = performance.now();
  await pool(indexes(n), concurrency, async (i) => {
    try {
      await call(i);
    } catch (err) {
      failures++;
      firstFailure ??= (err as Error).message;
    }
  });
  const result = { name, calls: n, failures, seconds: (performance.now() - t0) / 1000, load: loadavg() };
  console.log(JSON.stringify({ ...result, firstFailure }));
  return firstFailure === undefined ? result : { ...result, firstFailure };
}

/** The product's HTTP API as a caller sees it: one token, JSON in and out; a non-2xx answer throws. */
function apiClient(base: string, token: string) {
  return async (method: string, route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const { status, json } = await apiCall(base, token, method, route, body);
    if (status >= 300) throw new Error(`${method} ${route}: ${status} ${JSON.stringify(json).slice(0, 200)}`);
    return json;
  };
}

/**
 * Median wall time of each of `calls`, in ms, over `samples` rounds (one unmeasured warm-up round first). A round
 * times each call once, in turn, so every call sees the server in the same state (a server still settling after
 * the creates would otherwise slow whichever call is timed first).
 */
async function interleavedMedianMs<K extends string>(
  samples: number,
  calls: Readonly<Record<K, () => Promise<unknown>>>,
): Promise<Record<K, number>> {
  const entries = Object.entries(calls) as [K, () => Promise<unknown>][];
  const times = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let round = 0; round <= samples; round++) {
    for (const [name, fn] of entries) {
      const t0 = performance.now();
      await fn();
      if (round > 0) times.get(name)?.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, median(times.get(name) ?? [])])) as Record<
    K,
    number
  >;
}

/** Max RSS of the children, sampled every second until `stop()`. */
function rssSampler(children: Readonly<Record<string, Child>>) {
  const max: Record<string, number> = Object.fromEntries(Object.keys(children).map((k) => [k, 0]));
  const timer = setInterval(() => {
    for (const [name, child] of Object.entries(children)) max[name] = Math.max(max[name] ?? 0, child.rssMb());
  }, 1000);
  return { max, stop: () => clearInterval(timer) };
}

const daily = (time: string) => ({ frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: time });
const rawSpec = (hour: number) => ({ calendars: [{ hour, minute: 0 }] });

interface Figures {
  readonly phases: Phase[];
  readonly list: Record<string, number>;
  readonly rss: Record<string, number>;
  readonly rssMax: Record<string, number>;
}

async function measure(options: Options, client: Client, address: string): Promise<Figures> {
  const { n, concurrency } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-mgmt-catalog-'));
  const token = randomUUID();
  const solution = `bench-${randomUUID().slice(0, 8)}`;
  const env = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `bench-mgmt-${randomUUID()}`,
    RUNBOOK_SCHEDULER_DATA_DIR: dataDir,
    RUNBOOK_SCHEDULER_API_TOKENS: `${token}=${solution}`,
    RUNBOOK_SCHEDULER_SCHEDULE_QUOTA: String(n * 2),
    RUNBOOK_SCHEDULER_RATE_LIMIT: '100000000',
    // The runbook's target is a closed local port; the daily schedules never fire during the run.
    RUNBOOK_SCHEDULER_EGRESS_ALLOW: '127.0.0.0/8',
  };
  const api = await startChild(path.join(FIXTURES, 'product-api-process.ts'), [], env, /"port"/);
  const worker = await startChild(path.join(FIXTURES, 'product-worker-process.ts'), [], env);
  const rss = rssSampler({ api, worker });
  const port = (JSON.parse(api.readyOutput.trim().split('\n')[0] ?? '{}') as { port: number }).port;
  const call = apiClient(`http://127.0.0.1:${port}/v1`, token);
  const rawIds = indexes(n).map((i) => `bench-raw-${i}-${randomUUID().slice(0, 8)}`);
  const ref = (i: number) => `mgmt-${i}`;
  // Raw calls with the schedule the product sends (memo, search attributes, run input), built by its own code:
  // what Temporal's side of a product schedule costs, without the product's API and checks.
  const shapedSolution = `${solution}-raw`;
  const productShaped = (i: number, time = '09:00:00') => {
    const now = new Date();
    const input = buildRunInput({
      solution: shapedSolution,
      reference: ref(i),
      runbook: {
        uuid: randomUUID(),
        solution: shapedSolution,
        name: 'management bench runbook',
        trigger: { template: TriggerTemplate.DynamicScheduler },
        target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
      },
      recurrence: normalizeRecurrence(daily(time), { now }),
      requestBody: { index: i },
      retry: DEFAULT_DISPATCH_RETRY,
      now,
    });
    const compiled = compileSchedule(input.recurrence, now);
    return buildScheduleOptions(input, compiled, env.TEMPORAL_TASK_QUEUE, scheduleMemo(input, now));
  };
  const shapedId = (i: number) => productShaped(i).scheduleId;
  const phases: Phase[] = [];
  try {
    const runbook = randomUUID();
    await call('POST', '/runbooks', {
      uuid: runbook,
      name: 'management bench runbook',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
    });
    phases.push(
      await phase('create: product (POST /v1/schedules)', n, concurrency, async (i) => {
        const body = { runbook_uuid: runbook, schedule_reference: ref(i), schedule: daily('09:00:00') };
        await call('POST', '/schedules', { ...body, request_body: { index: i } });
      }),
    );
    phases.push(
      await phase('create: raw client.schedule.create', n, concurrency, async (i) => {
        await client.schedule.create({
          scheduleId: rawIds[i] as string,
          spec: rawSpec(9),
          action: {
            type: 'startWorkflow',
            workflowType: 'rawFireWorkflow',
            taskQueue: 'bench-mgmt-raw',
            args: ['http://127.0.0.1:9/never'],
          },
        });
      }),
    );
    phases.push(
      await phase(
        "create: raw client.schedule.create of the product's schedule",
        n,
        concurrency,
        async (i) => {
          await client.schedule.create(productShaped(i));
        },
      ),
    );
    // Visibility is eventually consistent: wait until the product's list holds all N before timing it.
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline && (await countListed(call)) < n) await sleep(2_000);
    const namespace = client.options.namespace;
    const list = await interleavedMedianMs(options.listSamples, {
      productFirstPage: () => call('GET', '/schedules'),
      productPageOf1000: () => call('GET', '/schedules?page_size=1000'),
      rawFirstPage: () => client.workflowService.listSchedules({ namespace, maximumPageSize: 100 }),
      // The query the product's page runs (its solution's runbook schedules), straight to Temporal.
      rawQueryFirstPage: () =>
        client.workflowService.listSchedules({
          namespace,
          maximumPageSize: 100,
          query: runbookSchedulesQuery(solution) ?? '',
        }),
    });
    console.log(JSON.stringify({ list }));
    const rssAtN = { api: api.rssMb(), worker: worker.rssMb() };
    phases.push(
      await phase('update: product (PUT /v1/schedules/{ref})', n, concurrency, async (i) => {
        await call('PUT', `/schedules/${ref(i)}`, { schedule: daily('10:00:00') });
      }),
    );
    phases.push(
      await phase('update: raw handle.update', n, concurrency, async (i) => {
        await client.schedule
          .getHandle(rawIds[i] as string)
          .update((prev) => ({ ...prev, spec: rawSpec(10) }));
      }),
    );
    phases.push(
      await phase("update: raw handle.update of the product's schedule", n, concurrency, async (i) => {
        const { spec } = productShaped(i, '10:00:00');
        await client.schedule.getHandle(shapedId(i)).update((prev) => ({ ...prev, spec }));
      }),
    );
    phases.push(
      await phase('delete: product (DELETE /v1/schedules/{ref})', n, concurrency, async (i) => {
        await call('DELETE', `/schedules/${ref(i)}`);
      }),
    );
    phases.push(
      await phase('delete: raw handle.delete', n, concurrency, async (i) => {
        await client.schedule.getHandle(rawIds[i] as string).delete();
      }),
    );
    phases.push(
      await phase("delete: raw handle.delete of the product's schedule", n, concurrency, async (i) => {
        await client.schedule.getHandle(shapedId(i)).delete();
      }),
    );
    return { phases, list, rss: rssAtN, rssMax: { ...rss.max } };
  } finally {
    rss.stop();
    await worker.stop();
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many schedules the product's list shows now, a page of 1000 at a time. */
async function countListed(call: ReturnType<typeof apiClient>): Promise<number> {
  let count = 0;
  let token: string | null = null;
  do {
    const query = `?page_size=1000${token ? `&page_token=${encodeURIComponent(token)}` : ''}`;
    const page = await call('GET', `/schedules${query}`);
    count += (page.schedules as unknown[]).length;
    token = page.next_page_token as string | null;
  } while (token);
  return count;
}

const f = (x: number | undefined, digits = 1) =>
  x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : 'n/a';

function table(options: Options, figures: Figures, started: Date, uptime0: string, uptime1: string): string {
  const cpus = os.cpus();
  const rate = (p: Phase | undefined) => (p ? (p.calls - p.failures) / p.seconds : NaN);
  const byName = (prefix: string) => figures.phases.filter((p) => p.name.startsWith(prefix));
  const rows = ['create', 'update', 'delete'].map((op) => {
    const [product, raw, shaped] = byName(op);
    return [
      op,
      `${f(rate(product))} (${product?.failures ?? '?'} failed)`,
      `${f(rate(raw))} (${raw?.failures ?? '?'} failed)`,
      f(rate(product) / rate(raw), 2),
      `${f(rate(shaped))} (${shaped?.failures ?? '?'} failed)`,
      f(rate(product) / rate(shaped), 2),
      `${product?.load ?? ''} / ${raw?.load ?? ''} / ${shaped?.load ?? ''}`,
    ].join(' | ');
  });
  const failures = figures.phases.flatMap((p) => (p.firstFailure ? [`${p.name}: ${p.firstFailure}`] : []));
  return [
    '',
    `### N = ${options.n} schedules, ${options.concurrency} concurrent callers`,
    '',
    `- Date: ${started.toISOString()}; machine: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores, shared), ${os.platform()} ${os.release()}, Node ${process.version}; commit ${commitAtStart}`,
    `- \`uptime\` at start: \`${uptime0}\`; at the end: \`${uptime1}\``,
    '',
    "| operation | product calls/s | raw calls/s | product / raw | raw calls/s, the product's schedule | product / that | load avg at end (product / raw / raw of the product's schedule) |",
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
    `| at N = ${options.n} | value |`,
    '|---|---|',
    `| \`GET /v1/schedules\` first page (100), median of ${options.listSamples} | ${f(figures.list.productFirstPage, 0)} ms |`,
    `| \`GET /v1/schedules?page_size=1000\`, median of ${options.listSamples} | ${f(figures.list.productPageOf1000, 0)} ms |`,
    `| raw \`ListSchedules\` page of 100 (no query, 2N schedules on the server), median of ${options.listSamples} | ${f(figures.list.rawFirstPage, 0)} ms |`,
    `| raw \`ListSchedules\` page of 100 with the product's query (\`RunbookSolution = ... AND RunbookGeneration IS NOT NULL\`), median of ${options.listSamples} | ${f(figures.list.rawQueryFirstPage, 0)} ms |`,
    `| API process RSS after the creates / max over the run | ${f(figures.rss.api, 0)} MB / ${f(figures.rssMax.api, 0)} MB |`,
    `| worker process RSS after the creates / max over the run | ${f(figures.rss.worker, 0)} MB / ${f(figures.rssMax.worker, 0)} MB |`,
    '',
    ...(failures.length
      ? ['First failure of each phase that had one:', '', ...failures.map((l) => `- ${l}`), '']
      : []),
  ].join('\n');
}

const METHOD = `
## Management at N schedules (issue 13, point 4)

\`npm run bench:management -- --n <N>\` (\`bench/management.bench.ts\`, on demand, not in CI). Each run starts its
own embedded dev server (the temporal CLI's \`server start-dev\`, free ports, temporary SQLite, the project's search
attributes), the product's HTTP API and worker as child processes (\`test/fixtures/product-api-process.ts\`,
\`product-worker-process.ts\`, settings from the environment, rate limit and quota raised for the run), and
measures on that server, one phase after another, each with 8 concurrent callers: **create** N daily schedules
through \`POST /v1/schedules\` (with a small \`request_body\`), then N raw \`client.schedule.create\` (a daily
calendar spec, a trivial workflow action); **list**: once the product's list shows all N, the median of 9 timed
\`GET /v1/schedules\` (after one warm-up round; the list calls timed in turn within each round) for the first page (100, the default) and for a page of 1,000, beside a
raw \`ListSchedules\` page of 100 without a query and with the product's; **update** the N product schedules (\`PUT\`, a new time of day), then the N raw
ones (\`handle.update\`, which like the product describes then updates); **delete** the N product schedules, then
the N raw ones. Each phase also runs raw calls on N schedules shaped as the product's (its memo, search
attributes and run input, built by the product's own \`buildScheduleOptions\`; from 2026-12-04): Temporal's cost of
a product schedule without the product's API, checks, read-back and run cancellation. Calls/s = successful calls over the phase's wall time. RSS is read from /proc: at N (after the
creates and the list), and the maximum sampled every second over the run. The load average is read at the end of
each phase; \`uptime\` at the start and end of the run.
`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const uptime0 = uptime();
  const server = await startDevServer({});
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  let figures: Figures;
  try {
    figures = await measure(options, client, server.address);
  } finally {
    await connection.close();
    await server.stop();
  }
  const text = table(options, figures, started, uptime0, uptime());
  const results = readFileSync(RESULTS, 'utf8');
  if (!results.includes('## Management at N schedules'))
    writeFileSync(RESULTS, `${results.trimEnd()}\n${METHOD}`);
  appendFileSync(RESULTS, text);
  console.log(text);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
