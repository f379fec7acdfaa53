/**
 * Nothing is lost to timing (FEATURES.md E2, RECURRENCE.md "Mapping onto Temporal"), on the real dev server:
 * a first occurrence that passes while its schedule is being written is still fired, and a window that ran dry
 * while no worker re-armed it has its missed instants fired by the next sweep, each with its own nominal time.
 *
 * The schedules here start runs on a task queue no worker polls, so the runs stay as Temporal started them and
 * no run re-arms anything: what is observed is the gateway's own doing.
 */
import { randomUUID } from 'node:crypto';
import { normalizeRecurrence } from '../../src/recurrence';
import { DEFAULT_DISPATCH_RETRY } from '../../src/config';
import { ScheduleKind, type ScheduledRunInput } from '../../src/temporal/run-input';
import type { CompiledSchedule } from '../../src/temporal/compile';
import { TemporalScheduleGateway } from '../../src/temporal/schedule-gateway';
import { newGeneration, scheduleIdFor } from '../../src/temporal/schedule-ids';
import { scheduleMemo } from '../../src/temporal/schedule-options';
import { connectTestClient, sleep, uniqueId, waitFor, type TestClient } from './harness';

jest.setTimeout(120_000);

let t: TestClient;

beforeAll(async () => {
  t = await connectTestClient();
});

afterAll(async () => {
  await t?.close();
});

const MINUTE = 60_000;

function runInput(recurrence: Record<string, unknown>, now: Date): ScheduledRunInput {
  const solution = uniqueId('sol');
  const reference = uniqueId('ref');
  return {
    scheduleId: scheduleIdFor(solution, reference),
    kind: ScheduleKind.Dynamic,
    solution,
    reference,
    runbookUuid: randomUUID(),
    generation: newGeneration(now),
    recurrence: normalizeRecurrence(recurrence, { now }),
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
    retry: DEFAULT_DISPATCH_RETRY,
  };
}

/** The nominal instants of the runs the schedule started, as their workflow ids carry them. */
async function firedInstants(input: ScheduledRunInput): Promise<string[]> {
  const description = await t.client.schedule.getHandle(input.scheduleId).describe();
  const prefix = `${input.scheduleId}:${input.generation}-`;
  return description.info.recentActions
    .map((action) => action.action.workflow.workflowId)
    .filter((id) => id.startsWith(prefix))
    .map((id) => id.slice(prefix.length))
    .sort();
}

async function cleanUp(input: ScheduledRunInput): Promise<void> {
  await t.client.schedule.getHandle(input.scheduleId).delete();
  for await (const run of t.client.workflow.list({ query: `RunbookReference = '${input.reference}'` })) {
    await t.client.workflow
      .getHandle(run.workflowId)
      .terminate('test cleanup')
      .catch(() => undefined);
  }
}

test('a first occurrence that passed while the schedule was written is fired, with its own time', async () => {
  // The service's clock read "now" two seconds ago and chose the next whole second: it has passed since.
  const clockAtCreate = new Date(Math.floor(Date.now() / 1000) * 1000 - 2000);
  const input = runInput({ frequency: 'no_repeat' }, clockAtCreate);
  const gateway = new TemporalScheduleGateway(t.client, uniqueId('idle'));
  try {
    const compiled = await gateway.create(input, scheduleMemo(input, clockAtCreate), clockAtCreate);
    const instant = compiled.nextOccurrenceAt?.toISOString().replace('.000Z', 'Z');
    expect(compiled.nextOccurrenceAt?.getTime()).toBe(clockAtCreate.getTime() + 1000);
    expect(
      await waitFor(async () => ((await firedInstants(input)).length ? firedInstants(input) : undefined)),
    ).toEqual([instant]);
  } finally {
    await cleanUp(input);
  }
});

test('the sweep fires the instants a dry window missed, and the new window goes on past now', async () => {
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE + 1000);
  const t0 = new Date(now.getTime() - 3 * MINUTE);
  // Created three minutes ago with a one-instant window: only t0, then nothing re-armed it.
  const createdAt = new Date(t0.getTime() - 30_000);
  const input = runInput(
    {
      frequency: 'minutely',
      interval: 1,
      time_zone: 'UTC',
      start_date: t0.toISOString().slice(0, 10),
      time_of_day: t0.toISOString().slice(11, 19),
    },
    createdAt,
  );
  const tiny = { minCount: 1, minSpanMs: 0, maxCount: 1, forceWindow: true };
  const creator = new TemporalScheduleGateway(t.client, uniqueId('idle'), tiny, () => createdAt);
  const sweeper = new TemporalScheduleGateway(t.client, uniqueId('idle'), { forceWindow: true });
  try {
    await creator.create(input, scheduleMemo(input, createdAt), createdAt);
    expect(await firedInstants(input)).toEqual([]);

    // What the periodic sweep does: re-arm from now.
    const compiled = await sweeper.rearm(input.scheduleId, now, now);
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const missed = [1, 2].map((k) => iso(t0.getTime() + k * MINUTE));
    const fired = await waitFor(async () => {
      const instants = await firedInstants(input);
      return missed.every((m) => instants.includes(m)) ? instants : undefined;
    });
    // Within the catch-up window, after the old window's end (t0), up to now.
    expect(fired.every((i) => i > iso(t0.getTime()) && i <= iso(now.getTime()))).toBe(true);
    // The new window goes on past now (a minutely window is capped at 500 instants, so not the full 7 days).
    expect(compiled?.windowEnd?.getTime()).toBeGreaterThan(now.getTime());
  } finally {
    await cleanUp(input);
  }
});

/** A gateway that runs the create's catch-up on its own, as a create whose write took past the first instant. */
class LateWriteGateway extends TemporalScheduleGateway {
  async catchUp(scheduleId: string, compiled: CompiledSchedule, since: Date): Promise<void> {
    await this.fireInstantsPassedWhileWriting(scheduleId, compiled, since);
  }
}

test('a first occurrence Temporal fired itself while the schedule was written is not fired again, even once its run closed', async () => {
  // The first instant is three seconds away: Temporal has the spec in time and fires it.
  const createdAt = new Date();
  const first = new Date(Math.ceil(createdAt.getTime() / 1000) * 1000 + 3000);
  const input = runInput(
    {
      frequency: 'minutely',
      interval: 1,
      time_zone: 'UTC',
      start_date: first.toISOString().slice(0, 10),
      time_of_day: first.toISOString().slice(11, 19),
    },
    createdAt,
  );
  const gateway = new LateWriteGateway(t.client, uniqueId('idle'));
  const instant = first.toISOString().replace('.000Z', 'Z');
  try {
    const compiled = await gateway.create(input, scheduleMemo(input, createdAt), createdAt);
    expect(compiled.nextOccurrenceAt).toEqual(first);
    await waitFor(async () => ((await firedInstants(input)).includes(instant) ? true : undefined), {
      timeoutMs: 30_000,
    });
    // Its run closes (a quick runbook): a manual start of the same workflow id would now be let through.
    const workflowId = `${input.scheduleId}:${input.generation}-${instant}`;
    await t.client.workflow.getHandle(workflowId).terminate('the run closed');

    // The create's write is seen to end only now, past the first instant.
    await gateway.catchUp(input.scheduleId, compiled, createdAt);
    await sleep(3000);
    expect(await firedInstants(input)).toEqual([instant]);
    const runs: string[] = [];
    for await (const run of t.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs.push(run.runId);
    }
    expect(runs).toHaveLength(1);
  } finally {
    await cleanUp(input);
  }
});
