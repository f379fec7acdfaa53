/**
 * What one schedule and one fire cost Temporal (issue 13, point 7; the figures of docs/SCALE.md), on demand:
 *
 *   npm run bench:cost [-- --schedules 5 --fires 3]
 *
 * On its own dev server: `--schedules` minutely schedules of the product (its worker in a child process) and as
 * many raw `client.schedule.create` interval schedules of a trivial one-activity workflow, `--fires` fires each.
 * Then, read from the server: per run, the events and bytes of its workflow history; per schedule, the stored
 * schedule's bytes (spec, action with its run input, memo) and the events and bytes the fires added to
 * Temporal's per-schedule scheduler workflow (`temporal-sys-scheduler:<id>`). Appends its table to
 * bench/RESULTS.md.
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { TriggerTemplate } from '../src/catalog/model';
import { scheduleIdFor } from '../src/temporal/schedule-ids';
import { numberFlags, sleep, startScene } from './faults/scene';
import { minutelyFrom, productOf } from './faults/schedules';
import { startChild } from './fire/processes';
import { minuteAfter } from './fire/modes';

const RESULTS = path.join(__dirname, 'RESULTS.md');
const RAW_WORKER = path.join(__dirname, 'fire', 'raw-worker.ts');

/** Events and encoded bytes of a workflow's history. */
async function historyCost(client: Client, workflowId: string): Promise<{ events: number; bytes: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return {
    events: history.events?.length ?? 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
  };
}

/** Encoded bytes of a stored schedule (spec, action, policies, state) and of its memo. */
async function scheduleBytes(
  client: Client,
  scheduleId: string,
): Promise<{ schedule: number; memo: number }> {
  const described = await client.schedule.getHandle(scheduleId).describe();
  const raw = described.raw;
  return {
    schedule: temporal.api.schedule.v1.Schedule.encode(raw.schedule ?? {}).finish().length,
    memo: temporal.api.common.v1.Memo.encode(raw.memo ?? {}).finish().length,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

/** The run workflow ids of a schedule's action id prefix, from visibility. */
async function runsOf(client: Client, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` })) {
    if (info.status.name === 'COMPLETED') ids.push(info.workflowId);
  }
  return ids;
}

interface Side {
  readonly name: string;
  readonly scheduleIds: string[];
  readonly actionPrefixes: string[];
  readonly schedulerAtCreate: Map<string, { events: number; bytes: number }>;
}

async function measure(client: Client, side: Side, fires: number) {
  const runs: Array<{ events: number; bytes: number }> = [];
  const perFire: Array<{ events: number; bytes: number }> = [];
  const stored: Array<{ schedule: number; memo: number }> = [];
  for (const [i, id] of side.scheduleIds.entries()) {
    stored.push(await scheduleBytes(client, id));
    const now = await historyCost(client, `temporal-sys-scheduler:${id}`).catch(() => undefined);
    const before = side.schedulerAtCreate.get(id);
    if (now && before) {
      perFire.push({
        events: (now.events - before.events) / fires,
        bytes: (now.bytes - before.bytes) / fires,
      });
    }
    for (const run of (await runsOf(client, side.actionPrefixes[i]!)).slice(0, fires)) {
      runs.push(await historyCost(client, run));
    }
  }
  return {
    side: side.name,
    runs: runs.length,
    runEvents: median(runs.map((r) => r.events)),
    runBytes: median(runs.map((r) => r.bytes)),
    scheduleBytes: median(stored.map((s) => s.schedule)),
    memoBytes: median(stored.map((s) => s.memo)),
    schedulerEventsPerFire: median(perFire.map((p) => p.events)),
    schedulerBytesPerFire: median(perFire.map((p) => p.bytes)),
  };
}

async function main(): Promise<void> {
  const flags = numberFlags({ schedules: 5, fires: 3 });
  const started = new Date();
  const scene = await startScene('cost');
  const app = await productOf(scene);
  const rawQueue = `cost-raw-${randomUUID()}`;
  const rawWorker = await startChild(RAW_WORKER, [scene.server.address, rawQueue], {});
  try {
    await scene.startWorker();
    const uuid = randomUUID();
    await app.service.registerRunbook({
      uuid,
      solution: scene.solution,
      name: 'cost runbook',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${scene.receiver.url}/product` },
      business_identifiers: ['order'],
    });
    const first = minuteAfter(20_000);
    const product: Side = {
      name: 'product',
      scheduleIds: [],
      actionPrefixes: [],
      schedulerAtCreate: new Map(),
    };
    const raw: Side = { name: 'raw', scheduleIds: [], actionPrefixes: [], schedulerAtCreate: new Map() };
    for (let i = 0; i < flags.schedules; i++) {
      const reference = `cost-${i}`;
      await app.service.createSchedule(scene.solution, {
        runbook_uuid: uuid,
        schedule_reference: reference,
        schedule: minutelyFrom(new Date(first)),
        request_body: { order: `A-${i}`, tenant_id: '42' },
      });
      const id = scheduleIdFor(scene.solution, reference);
      const stored = await app.client.schedule.getHandle(id).describe();
      product.scheduleIds.push(id);
      product.actionPrefixes.push(stored.action.type === 'startWorkflow' ? stored.action.workflowId : id);
      const rawId = `cost-raw-${i}-${randomUUID().slice(0, 8)}`;
      await app.client.schedule.create({
        scheduleId: rawId,
        spec: { intervals: [{ every: '1m' }], startAt: new Date(first) },
        action: {
          type: 'startWorkflow',
          workflowType: 'rawFireWorkflow',
          workflowId: rawId,
          taskQueue: rawQueue,
          args: [`${scene.receiver.url}/raw`],
        },
      });
      raw.scheduleIds.push(rawId);
      raw.actionPrefixes.push(rawId);
    }
    await sleep(3000);
    for (const side of [product, raw]) {
      for (const id of side.scheduleIds) {
        const cost = await historyCost(app.client, `temporal-sys-scheduler:${id}`).catch(() => undefined);
        if (cost) side.schedulerAtCreate.set(id, cost);
      }
    }
    // The fires, then a moment for the last runs to complete; then pause so no fire lands while measuring.
    await sleep(Math.max(0, first + (flags.fires - 1) * 60_000 + 20_000 - Date.now()));
    for (const id of [...product.scheduleIds, ...raw.scheduleIds]) {
      await app.client.schedule.getHandle(id).pause('measured');
    }
    const rows = [
      await measure(app.client, product, flags.fires),
      await measure(app.client, raw, flags.fires),
    ];
    const table = [
      '',
      `### Cost of one schedule and one fire (\`npm run bench:cost\`)`,
      '',
      `- Date: ${started.toISOString()}; machine: ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores, shared); load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      `- ${flags.schedules} minutely schedules each way, ${flags.fires} fires each; medians. Product: Dynamic Scheduler schedule with a two-key request_body, HTTP dispatch answered 200 at once. Raw: \`client.schedule.create\` interval schedule of a one-activity workflow. Scheduler workflow: Temporal's own per-schedule workflow \`temporal-sys-scheduler:<id>\`, events and bytes the fires added to it.`,
      '',
      '| side | runs read | run history events | run history bytes | stored schedule bytes | memo bytes | scheduler events per fire | scheduler bytes per fire |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.side} | ${r.runs} | ${r.runEvents} | ${r.runBytes} | ${r.scheduleBytes} | ${r.memoBytes} | ${r.schedulerEventsPerFire.toFixed(1)} | ${r.schedulerBytesPerFire.toFixed(0)} |`,
      ),
      '',
    ].join('\n');
    console.log(table);
    appendFileSync(RESULTS, table);
    for (const id of [...product.scheduleIds, ...raw.scheduleIds]) {
      await app.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
  } finally {
    await rawWorker.stop();
    await app.close();
    await scene.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
