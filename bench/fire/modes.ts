/**
 * The three ways the fire benchmark fires N runs per minute: the product (schedules created through the
 * product's service, its own worker process), raw Temporal Schedules (`client.schedule.create`, the trivial
 * workflow, a worker with SDK defaults) and the server's own limit (the trivial workflow started ahead with a
 * start delay to each instant). Each mode returns the nominal instants it fired and stops what it started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createApp } from '../../src/app';
import { TriggerTemplate } from '../../src/catalog/model';
import { loadSettings } from '../../src/config';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { sleep } from '../../test/integration/harness';
import { startChild, type Child } from './processes';

/** What a mode is given. */
export interface ModeContext {
  readonly address: string;
  readonly client: Client;
  readonly receiverUrl: string;
  readonly n: number;
  /** Seconds past the minute of schedule i. */
  readonly secondOf: (i: number) => number;
  readonly rounds: number;
  /** Environment of the product worker (its `RUNBOOK_SCHEDULER_WORKER_*` tuning). */
  readonly workerEnv: Readonly<Record<string, string>>;
}

/** What a mode did: the first minute it fired, and its worker (stopped by the caller after the drain). */
export interface ModeRun {
  readonly firstMinuteMs: number;
  /** The runs are due at the instants from `firstMinuteMs` whenever they were started (the limit's). */
  readonly fixedInstants?: boolean;
  readonly worker: Child;
  /** The task queue its runs ran on (their histories give the worker's queue waits). */
  readonly taskQueue: string;
  /** Stops firing (pause or delete), after the last round fired. */
  stopFiring(): Promise<void>;
  /** Removes what the mode created. */
  cleanup(): Promise<void>;
}

/** Runs `fn` over `items` with `concurrency` callers. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** The first whole minute at least `leadMs` from now. */
export function minuteAfter(leadMs: number): number {
  return Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
}

const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);
const WORKER_SCRIPT = path.join(__dirname, 'raw-worker.ts');
const PRODUCT_WORKER = path.join(__dirname, '..', '..', 'test', 'fixtures', 'product-worker-process.ts');

/** The product: N minutely schedules through the service; its worker in a child process. */
export async function runProduct(ctx: ModeContext): Promise<ModeRun> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-fire-catalog-'));
  const env = {
    TEMPORAL_ADDRESS: ctx.address,
    TEMPORAL_TASK_QUEUE: `bench-product-${randomUUID()}`,
    RUNBOOK_SCHEDULER_DATA_DIR: dataDir,
    RUNBOOK_SCHEDULER_EGRESS_ALLOW: '127.0.0.0/8',
    RUNBOOK_SCHEDULER_SCHEDULE_QUOTA: '100000',
  };
  const app = await createApp(loadSettings(env), { client: ctx.client });
  const worker = await startChild(PRODUCT_WORKER, [], { ...env, ...ctx.workerEnv });
  const solution = `bench-${randomUUID().slice(0, 8)}`;
  const uuid = randomUUID();
  await app.service.registerRunbook({
    uuid,
    solution,
    name: 'fire bench runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: ctx.receiverUrl },
  });
  const firstMinuteMs = minuteAfter(15_000 + ctx.n * 40);
  const references = indexes(ctx.n).map((i) => `fire-${i}`);
  await pool(indexes(ctx.n), 8, async (i) => {
    const start = new Date(firstMinuteMs + ctx.secondOf(i) * 1000).toISOString();
    await app.service.createSchedule(solution, {
      runbook_uuid: uuid,
      schedule_reference: references[i],
      schedule: {
        frequency: 'minutely',
        interval: 1,
        time_zone: 'UTC',
        start_date: start.slice(0, 10),
        time_of_day: start.slice(11, 19),
      },
    });
  });
  return {
    firstMinuteMs,
    worker,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    // Pausing (as an operator does) stops the fires without cancelling runs still queued; Delete would.
    stopFiring: () =>
      pool(references, 8, async (reference) => {
        await ctx.client.schedule.getHandle(scheduleIdFor(solution, reference)).pause('bench done');
      }),
    cleanup: async () => {
      await pool(references, 8, async (reference) => {
        await app.service.deleteSchedule(solution, { schedule_reference: reference });
      });
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function rawWorker(ctx: ModeContext, taskQueue: string): Promise<Child> {
  return await startChild(WORKER_SCRIPT, [ctx.address, taskQueue], {});
}

/** Raw Temporal Schedules: N interval schedules of the trivial workflow. */
export async function runRaw(ctx: ModeContext): Promise<ModeRun> {
  const taskQueue = `bench-raw-${randomUUID()}`;
  const worker = await rawWorker(ctx, taskQueue);
  const prefix = `raw-${randomUUID().slice(0, 8)}`;
  const firstMinuteMs = minuteAfter(15_000 + ctx.n * 20);
  const ids = indexes(ctx.n).map((i) => `${prefix}-${i}`);
  await pool(indexes(ctx.n), 8, async (i) => {
    await ctx.client.schedule.create({
      scheduleId: ids[i] ?? '',
      spec: { intervals: [{ every: '1m', offset: `${ctx.secondOf(i)}s` }], startAt: new Date(firstMinuteMs) },
      action: {
        type: 'startWorkflow',
        workflowType: 'rawFireWorkflow',
        workflowId: ids[i] ?? '',
        taskQueue,
        args: [ctx.receiverUrl],
      },
    });
  });
  const stop = () =>
    pool(ids, 8, async (id) => {
      await ctx.client.schedule.getHandle(id).delete();
    });
  return { firstMinuteMs, worker, taskQueue, stopFiring: stop, cleanup: () => Promise.resolve() };
}

/** The server's own limit: N × rounds trivial workflows started ahead, each delayed to its instant. */
export async function runLimit(ctx: ModeContext): Promise<ModeRun> {
  const taskQueue = `bench-limit-${randomUUID()}`;
  const worker = await rawWorker(ctx, taskQueue);
  const prefix = `limit-${randomUUID().slice(0, 8)}`;
  // Generous: 8 callers start about 50-100 runs a second on this machine, and the instants never move.
  const firstMinuteMs = minuteAfter(20_000 + ctx.n * ctx.rounds * 40);
  const starts = indexes(ctx.n * ctx.rounds).map((k) => {
    const i = k % ctx.n;
    const at = firstMinuteMs + Math.floor(k / ctx.n) * 60_000 + ctx.secondOf(i) * 1000;
    return { id: `${prefix}-${i}-${new Date(at).toISOString().slice(0, 19)}Z`, at };
  });
  await pool(starts, 8, async ({ id, at }) => {
    await ctx.client.workflow.start('rawFireWorkflow', {
      workflowId: id,
      taskQueue,
      args: [ctx.receiverUrl],
      startDelay: Math.max(1, at - Date.now()),
    });
  });
  return {
    firstMinuteMs,
    fixedInstants: true,
    worker,
    taskQueue,
    stopFiring: () => Promise.resolve(),
    cleanup: () => Promise.resolve(),
  };
}

/** Sleeps until `ms` (epoch). */
export async function until(ms: number): Promise<void> {
  await sleep(Math.max(0, ms - Date.now()));
}
