/**
 * Fire precision at scale (issue 13, point 1), on demand (not in CI):
 *
 *   npm run bench:fire -- --n 100 --aligned [--rounds 3] [--modes product,raw,limit]
 *   npm run bench:fire -- --n 1000 --spread --dynamic-config worker.schedulerNamespaceStartWorkflowRPS=1000
 *   npm run bench:fire -- --n 1000 --aligned --worker-env RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS=200
 *   npm run bench:fire -- --n 1000 --aligned --modes raw --sqlite-defaults --scheduler-worker-defaults
 *   npm run bench:fire -- --n 1000 --aligned --chasm-scheduler
 *
 * One run starts its own dev server (like the integration tests: free ports, temporary SQLite) and fires the
 * three ways one after another on it: the product, raw Temporal Schedules, and the server's own limit (see
 * `bench/fire/modes.ts`). N schedules fire every minute, all on second :00 (`--aligned`) or spread over the
 * minute (`--spread`, schedule i on second i mod 60), for `--rounds` minutes. A fire's lateness is its arrival
 * at the local receiver minus its nominal instant. Appends its table to bench/RESULTS.md.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startReceiver, figuresOf, type FireFigures } from './fire/receiver';
import {
  minuteAfter,
  runLimit,
  runProduct,
  runRaw,
  until,
  type ModeContext,
  type ModeRun,
} from './fire/modes';
import { startDevServer } from './fire/processes';
import { queueWaits, type QueueWaits } from './fire/queue-waits';
import type { TemporalScheduler } from '../test/fixtures/dev-server';

const RESULTS = path.join(__dirname, 'RESULTS.md');
const MODES = { product: runProduct, raw: runRaw, limit: runLimit } as const;
type ModeName = keyof typeof MODES;

interface Options {
  n: number;
  spread: boolean;
  rounds: number;
  drainSeconds: number;
  modes: ModeName[];
  dynamicConfig: string[];
  /** Undefined: the embedded default's. */
  sqlitePragmas: string[] | undefined;
  refreshSearchAttributesOnRead: boolean;
  /** Undefined: the embedded default's; null: the server's own. */
  schedulerWorkerOptions: string | null | undefined;
  /** Which of Temporal's schedulers runs the schedules (the embedded default: workflow). */
  scheduler: TemporalScheduler;
  workerEnv: Record<string, string>;
  label: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    n: 100,
    spread: false,
    rounds: 3,
    drainSeconds: 90,
    modes: ['product', 'raw', 'limit'],
    dynamicConfig: [],
    sqlitePragmas: undefined,
    refreshSearchAttributesOnRead: true,
    schedulerWorkerOptions: undefined,
    scheduler: 'workflow',
    workerEnv: {},
    label: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i] ?? '';
    if (flag === '--n') options.n = Number(next());
    else if (flag === '--aligned') options.spread = false;
    else if (flag === '--spread') options.spread = true;
    else if (flag === '--rounds') options.rounds = Number(next());
    else if (flag === '--drain') options.drainSeconds = Number(next());
    else if (flag === '--modes') options.modes = next().split(',') as ModeName[];
    else if (flag === '--dynamic-config') options.dynamicConfig.push(next());
    else if (flag === '--sqlite-pragma') options.sqlitePragmas = [...(options.sqlitePragmas ?? []), next()];
    else if (flag === '--sqlite-defaults') options.sqlitePragmas = [];
    else if (flag === '--scheduler-worker-options') options.schedulerWorkerOptions = next();
    else if (flag === '--scheduler-worker-defaults') options.schedulerWorkerOptions = null;
    else if (flag === '--chasm-scheduler') options.scheduler = 'chasm';
    else if (flag === '--no-search-attribute-refresh') options.refreshSearchAttributesOnRead = false;
    else if (flag === '--label') options.label = next();
    else if (flag === '--worker-env') {
      const [key, ...value] = next().split('=');
      options.workerEnv[key ?? ''] = value.join('=');
    } else throw new Error(`unknown argument ${flag}`);
  }
  if (options.modes.some((m) => !(m in MODES))) throw new Error('--modes takes product,raw,limit');
  return options;
}

interface ModeResult {
  readonly mode: ModeName;
  readonly figures: FireFigures;
  readonly cpuSeconds: number;
  readonly cpuMsPerRun: number;
  readonly rssMaxMb: number;
  readonly serverCpuSeconds: number;
  readonly load: string;
  readonly waits: QueueWaits;
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function runMode(name: ModeName, ctx: ModeContext, options: Options, server: { cpuSeconds(): number }) {
  const receiver = await startReceiver();
  const mode: ModeRun = await MODES[name]({ ...ctx, receiverUrl: receiver.url });
  // Creating the schedules can outlast the lead a mode planned (on a loaded machine): measure whole rounds only,
  // from the first minute that every schedule exists for. The limit's runs are due at the instants they were
  // started for, so its minutes never move (a run started after its instant is simply late).
  const first = mode.fixedInstants ? mode.firstMinuteMs : Math.max(mode.firstMinuteMs, minuteAfter(5_000));
  if (mode.fixedInstants && Date.now() > first - 2_000)
    console.error(`${name}: starting the runs outlasted the lead; runs started late count as late`);
  const instants: number[] = [];
  for (let round = 0; round < options.rounds; round++)
    for (let s = 0; s < 60; s++) instants.push(first + round * 60_000 + s * 1000);
  const expected = options.n * options.rounds;
  await until(first - 2_000);
  const cpu0 = mode.worker.cpuSeconds();
  const server0 = server.cpuSeconds();
  const cpuFromMs = Date.now();
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, mode.worker.rssMb())), 1000);
  const lastRound = first + (options.rounds - 1) * 60_000;
  await until(lastRound + (options.spread ? 61_000 : 2_000));
  // The schedules go on firing through the drain, as they would in production: pausing or deleting them now
  // would drop the fires Temporal's scheduler has not taken yet (it skips them once paused), and count them missed.
  const deadline = Date.now() + options.drainSeconds * 1000;
  while (Date.now() < deadline && figuresOf(receiver.arrivals, instants, expected).missed > 0)
    await new Promise((resolve) => setTimeout(resolve, 1000));
  clearInterval(sampler);
  const cpuSeconds = mode.worker.cpuSeconds() - cpu0;
  const serverCpuSeconds = server.cpuSeconds() - server0;
  // CPU per run: over every run delivered while CPU was measured (also those of later minutes).
  const runsMeasured = receiver.arrivals.filter((a) => a.arrivalMs >= cpuFromMs).length;
  const measuredUntilMs = Date.now();
  await mode.stopFiring();
  const figures = figuresOf(receiver.arrivals, instants, expected);
  const load = loadavg();
  await mode.worker.stop();
  const waits = await queueWaits(ctx.client, mode.taskQueue, cpuFromMs, measuredUntilMs);
  await mode.cleanup();
  await receiver.close();
  const result: ModeResult = {
    mode: name,
    figures,
    cpuSeconds,
    cpuMsPerRun: (cpuSeconds * 1000) / Math.max(1, runsMeasured),
    rssMaxMb: rssMax,
    serverCpuSeconds,
    load,
    waits,
  };
  console.log(JSON.stringify(result));
  return result;
}

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function table(options: Options, results: readonly ModeResult[], started: Date, load0: string): string {
  const cpus = os.cpus();
  const rows = results.map(({ mode, figures: r, ...m }) =>
    [
      mode,
      `${r.delivered}/${r.expected}`,
      f(r.p50),
      f(r.p95),
      f(r.p99),
      f(r.max),
      r.missed,
      r.duplicates,
      f(r.startsPerSecond, 1),
      f(m.cpuSeconds, 1),
      f(m.cpuMsPerRun, 1),
      f(m.rssMaxMb, 0),
      f(m.serverCpuSeconds, 1),
      `${f(m.waits.workflowTask.p50)} / ${f(m.waits.workflowTask.p99)} / ${f(m.waits.workflowTask.max)}`,
      `${f(m.waits.activityTask.p50)} / ${f(m.waits.activityTask.p99)} / ${f(m.waits.activityTask.max)}`,
      m.load,
    ].join(' | '),
  );
  const flags = [
    ...options.dynamicConfig.map((d) => `--dynamic-config-value ${d}`),
    ...(options.sqlitePragmas === undefined
      ? []
      : options.sqlitePragmas.length === 0
        ? ['SQLite pragmas: the server defaults (no WAL)']
        : options.sqlitePragmas.map((p) => `--sqlite-pragma ${p}`)),
    ...(options.schedulerWorkerOptions === undefined
      ? []
      : options.schedulerWorkerOptions === null
        ? ["scheduler worker options: the server's own (2 workflow task pollers)"]
        : [`worker.perNamespaceWorkerOptions=${options.schedulerWorkerOptions}`]),
    ...(options.scheduler === 'chasm'
      ? ["Temporal's CHASM scheduler (TEMPORAL_DEV_SCHEDULER=chasm's dynamic config)"]
      : []),
    ...(options.refreshSearchAttributesOnRead
      ? []
      : ['--dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false']),
    ...Object.entries(options.workerEnv).map(([k, v]) => `${k}=${v}`),
  ];
  return [
    '',
    `### N = ${options.n} ${options.spread ? 'spread over the minute' : 'aligned on one second'}, ${options.rounds} minutes of fires${options.label ? ` (${options.label})` : ''}`,
    '',
    `- Date: ${started.toISOString()}; machine: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores, shared), ${os.platform()} ${os.release()}, Node ${process.version}`,
    `- Load average (1/5/15 min) at start: ${load0}; at the end of each mode: last column`,
    `- Settings beyond the defaults: ${flags.length ? flags.join(', ') : 'none'}`,
    '',
    '| mode | delivered | lateness p50 s | p95 s | p99 s | max s | missed | duplicates | run starts/s | worker CPU s | worker CPU ms/run | worker RSS max MB | server CPU s | workflow task wait p50 / p99 / max s | activity wait p50 / p99 / max s | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
  ].join('\n');
}

const METHOD = `
## Fire precision at scale (issue 13, point 1)

\`npm run bench:fire -- --n <N> --aligned|--spread [--rounds R]\` (\`bench/fire-precision.bench.ts\`, on demand, not in
CI). Each run starts its own embedded dev server (the temporal CLI's \`server start-dev\`, free ports, temporary
SQLite, the project's search attributes, the embedded default's tuning; \`--chasm-scheduler\` for Temporal's CHASM
scheduler) and fires three ways, one after another on that server: **product**:
N minutely schedules created through the product's service, its worker (\`createSchedulerWorker\`, settings from
the environment) in a child process, dispatching HTTP to a local receiver; **raw**: N \`client.schedule.create\`
interval schedules of a trivial one-activity workflow that POSTs to the same receiver, worker with SDK defaults;
**limit**: the same trivial workflow started N times per minute ahead of time with \`startDelay\` to the instant
(the server's own limit). Lateness = arrival at the receiver - nominal instant (the product's \`triggered_at\`, the
baseline's instant in its workflow id). Missed = expected fires not delivered by the end of the drain (90 s
after the last round; the schedules go on firing meanwhile, as in production, and are paused or deleted after
it); duplicates = deliveries with an Idempotency-Key already seen. Run starts/s = deliveries
over the time from a round's first to its last delivery. Worker CPU = user+system seconds of the worker process
from 2 s before the first fire to the end of the drain, per run delivered in that time; RSS max sampled every
second over that time. Queue waits, from the histories of up to 300 runs of the mode's task queue started in that
time (evenly sampled): workflow task scheduled to started, activity task scheduled to started (of the attempt
that completed).
`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const load0 = loadavg();
  const server = await startDevServer({
    dynamicConfig: options.dynamicConfig,
    ...(options.sqlitePragmas === undefined ? {} : { sqlitePragmas: options.sqlitePragmas }),
    refreshSearchAttributesOnRead: options.refreshSearchAttributesOnRead,
    scheduler: options.scheduler,
    ...(options.schedulerWorkerOptions === undefined
      ? {}
      : { schedulerWorkerOptions: options.schedulerWorkerOptions }),
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const results: ModeResult[] = [];
  try {
    for (const mode of options.modes) {
      const ctx: ModeContext = {
        address: server.address,
        client,
        receiverUrl: '',
        n: options.n,
        secondOf: options.spread ? (i) => i % 60 : () => 0,
        rounds: options.rounds,
        workerEnv: options.workerEnv,
      };
      results.push(await runMode(mode, ctx, options, server));
    }
  } finally {
    await connection.close();
    await server.stop();
  }
  const text = readFileSync(RESULTS, 'utf8');
  if (!text.includes('## Fire precision at scale')) writeFileSync(RESULTS, `${text.trimEnd()}\n${METHOD}`);
  appendFileSync(RESULTS, table(options, results, started, load0));
  console.log(table(options, results, started, load0));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
