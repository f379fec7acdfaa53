/**
 * Fault R6: 1,000 concurrent Create / Update / Delete Schedule calls on 10 references, sent through the HTTP API
 * of several product processes at once (one Temporal server, one catalog). First every reference is created by
 * many callers at once: exactly one create may win per reference. Then the rest of the calls are a random mix
 * on the same references. At the end each reference's stored state must be what one of its last successful
 * calls wrote (a call no other successful call began after it was acknowledged), and Temporal must hold no
 * schedule the product does not list (no orphans).
 *
 * Each call writes a rule of its own (daily at minute `i` of the day), so the stored rule names the call that
 * wrote it. Run: `npx tsx bench/faults/concurrent-writes.ts [--ops 1000] [--references 10] [--apis 3]
 * [--concurrency 64] [--racers 20] [--seed 1]`. Prints its figures and writes them to bench/FAULTS.md.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate } from '../../src/catalog/model';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { killHard } from '../../test/unit/catalog/children';
import { numberFlags, sleep, startScene, type ProductProcess, type Scene } from './scene';
import { productOf } from './schedules';
import { random, report } from './report';

type Kind = 'create' | 'update' | 'delete';

/** One call and its answer; times are this script's clock. */
interface Call {
  readonly i: number;
  readonly reference: string;
  readonly kind: Kind;
  sentAt: number;
  ackAt: number;
  status: number;
  error: string;
}

/** The effect a successful call leaves: the minute of the day it wrote, or null for a delete. */
const effectOf = (c: Call): number | null => (c.kind === 'delete' ? null : c.i);

const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The schedule call `i` writes: daily at minute `i` of the day, far in the future (nothing fires). */
const ruleOf = (i: number) => ({
  frequency: 'daily',
  interval: 1,
  time_zone: 'UTC',
  time_of_day: hhmm(i),
  start_date: '2099-01-01',
});

const SUCCESS: Record<Kind, number> = { create: 201, update: 200, delete: 200 };
/** `Temporal is unavailable` (a timeout under this load): documented, retryable, and it may have taken effect. */
const UNAVAILABLE = 503;
/** Refusals a racing call may get: create of an existing reference, update of a missing or changed one. */
const REFUSALS: Record<Kind, number[]> = { create: [409], update: [404, 409], delete: [] };

async function send(scene: Scene, port: number, call: Call, runbook: string): Promise<void> {
  const base = `http://127.0.0.1:${port}/v1/schedules`;
  const ref = encodeURIComponent(call.reference);
  const request: [string, RequestInit] =
    call.kind === 'create'
      ? [
          base,
          {
            method: 'POST',
            body: JSON.stringify({
              runbook_uuid: runbook,
              schedule_reference: call.reference,
              schedule: ruleOf(call.i),
            }),
          },
        ]
      : call.kind === 'update'
        ? [`${base}/${ref}`, { method: 'PUT', body: JSON.stringify({ schedule: ruleOf(call.i) }) }]
        : [`${base}/${ref}`, { method: 'DELETE' }];
  const [url, init] = request;
  call.sentAt = Date.now();
  try {
    const res = await fetch(url, {
      ...init,
      headers: {
        authorization: `Bearer ${scene.token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
    call.status = res.status;
    if (res.status >= 300) call.error = JSON.stringify(await res.json()).slice(0, 200);
    else await res.arrayBuffer();
  } catch (err) {
    call.status = 0;
    call.error = err instanceof Error ? err.message : String(err);
  }
  call.ackAt = Date.now();
}

/** Runs `calls` with at most `limit` in flight, each through a random API process. */
async function runAll(
  calls: Call[],
  limit: number,
  pick: () => number,
  go: (port: number, call: Call) => Promise<void>,
  ports: number[],
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < calls.length) {
      const call = calls[next++]!;
      await go(ports[Math.floor(pick() * ports.length)]!, call);
    }
  });
  await Promise.all(lanes);
}

/** The minute of the day a stored rule's `time_of_day` names. */
function minuteOf(timeOfDay: unknown): number {
  const [h, m] = String(timeOfDay).split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

async function main(): Promise<void> {
  const flags = numberFlags({ ops: 1000, references: 10, apis: 3, concurrency: 64, racers: 20, seed: 1 });
  if (flags.ops > 1440) throw new Error('--ops is at most 1440 (one minute of the day per call)');
  const next = random(flags.seed);
  const scene = await startScene('concurrent-writes');
  const app = await productOf(scene);
  const apis: ProductProcess[] = [];
  try {
    const runbook = randomUUID();
    await app.service.registerRunbook({
      uuid: runbook,
      solution: scene.solution,
      name: 'concurrent writes runbook',
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${scene.receiver.url}/runbook` },
    });
    apis.push(...(await Promise.all(Array.from({ length: flags.apis }, () => scene.startApi()))));
    const ports = apis.map((a) => a.port!);
    const references = Array.from({ length: flags.references }, (_, r) => `ref-${r}`);
    const call = (i: number, reference: string, kind: Kind): Call => ({
      i,
      reference,
      kind,
      sentAt: 0,
      ackAt: 0,
      status: -1,
      error: '',
    });
    // The create race: `racers` creates of every reference, all in flight together.
    const race: Call[] = [];
    for (let k = 0; k < flags.racers; k++)
      for (const r of references) race.push(call(race.length, r, 'create'));
    const mixed: Call[] = [];
    for (let i = race.length; i < flags.ops; i++) {
      const roll = next();
      const kind: Kind = roll < 0.3 ? 'create' : roll < 0.8 ? 'update' : 'delete';
      mixed.push(call(i, references[Math.floor(next() * references.length)]!, kind));
    }
    const go = (port: number, c: Call) => send(scene, port, c, runbook);
    const started = Date.now();
    await runAll(race, Math.max(flags.concurrency, race.length), next, go, ports);
    await runAll(mixed, flags.concurrency, next, go, ports);
    const elapsed = Date.now() - started;
    const calls = [...race, ...mixed];

    const winners = references.map((r) => race.filter((c) => c.reference === r && c.status === 201).length);
    const unexpected = calls.filter(
      (c) => c.status !== SUCCESS[c.kind] && c.status !== UNAVAILABLE && !REFUSALS[c.kind].includes(c.status),
    );
    const unavailable = calls.filter((c) => c.status === UNAVAILABLE).length;
    // The final state of each reference, read through one API process.
    let notLastWriter = 0;
    let notLastAcknowledged = 0;
    const wrong: string[] = [];
    for (const reference of references) {
      const res = await fetch(`http://127.0.0.1:${ports[0]}/v1/schedules/${reference}`, {
        headers: { authorization: `Bearer ${scene.token}` },
      });
      const body = (await res.json()) as { schedule?: { time_of_day?: unknown } };
      const final = res.status === 404 ? null : minuteOf(body.schedule?.time_of_day);
      const succeeded = calls.filter((c) => c.reference === reference && c.status === SUCCESS[c.kind]);
      // A last writer: no successful call was sent after it was acknowledged. A call answered 503 may have
      // taken effect too, so it is one when no successful call began after it was answered.
      const ambiguous = calls.filter((c) => c.reference === reference && c.status === UNAVAILABLE);
      const last = [...succeeded, ...ambiguous].filter((c) => !succeeded.some((d) => d.sentAt > c.ackAt));
      if (!last.some((c) => effectOf(c) === final)) {
        notLastWriter++;
        wrong.push(`${reference}: stored ${final === null ? 'nothing' : hhmm(final)}`);
      }
      const lastAcked = succeeded.reduce<Call | undefined>(
        (a, c) => (!a || c.ackAt > a.ackAt ? c : a),
        undefined,
      );
      if (lastAcked && effectOf(lastAcked) !== final) notLastAcknowledged++;
    }
    // Every stored schedule's run input is of its own generation (never an older one's, written by a stale call).
    let mixedGenerations = 0;
    for (const reference of references) {
      const stored = await app.client.schedule
        .getHandle(scheduleIdFor(scene.solution, reference))
        .describe()
        .catch(() => undefined);
      if (!stored || stored.action.type !== 'startWorkflow') continue;
      const input = stored.action.args?.[0] as { generation?: string } | undefined;
      const memo = stored.memo as { generation?: string } | undefined;
      if (input?.generation !== memo?.generation) mixedGenerations++;
    }
    // Orphans: schedules Temporal holds for the solution that the product does not list, or the reverse.
    await sleep(3000); // visibility is eventually consistent
    const listed = await fetch(`http://127.0.0.1:${ports[0]}/v1/schedules`, {
      headers: { authorization: `Bearer ${scene.token}` },
    });
    const productRefs = new Set(
      ((await listed.json()) as { schedules: { schedule_reference: string }[] }).schedules.map(
        (s) => s.schedule_reference,
      ),
    );
    const ids = new Map(references.map((r) => [scheduleIdFor(scene.solution, r), r]));
    const temporalRefs = new Set<string>();
    for await (const s of app.client.schedule.list()) {
      const r = ids.get(s.scheduleId);
      if (r !== undefined) temporalRefs.add(r);
    }
    const orphans = [...temporalRefs].filter((r) => !productRefs.has(r));
    const phantoms = [...productRefs].filter((r) => !temporalRefs.has(r));
    // The API processes are done: what they warned of stale writes that landed in a re-created schedule.
    await Promise.all(apis.map((api) => killHard(api.child)));
    const stderr = (await Promise.all(apis.map((api) => api.child.exited))).map((e) => e.stderr).join('\n');
    const warned = (code: string) => stderr.split(`[${code}]`).length - 1;
    const byOutcome = new Map<string, number>();
    for (const c of calls) {
      const k = `${c.kind} ${c.status}`;
      byOutcome.set(k, (byOutcome.get(k) ?? 0) + 1);
    }
    report('Concurrent writes on a few references (R6)', {
      method:
        `${calls.length} Create / Update / Delete Schedule calls on ${references.length} references through the ` +
        `HTTP API of ${flags.apis} product processes (one dev server, one SQLite catalog): first ${flags.racers} ` +
        `creates of every reference all in flight at once, then a random mix (30% create, 50% update, 20% ` +
        `delete) with ${flags.concurrency} in flight; each call writes a rule of its own, so the stored rule ` +
        `names the call that wrote it`,
      figures: {
        calls: calls.length,
        'elapsed (s)': (elapsed / 1000).toFixed(1),
        'calls per second': ((calls.length * 1000) / elapsed).toFixed(1),
        'creates that won the race, per reference': winners.join(' '),
        'answers by call': [...byOutcome].map(([k, n]) => `${k}: ${n}`).join(', '),
        'unexpected answers (not success or a documented refusal)':
          unexpected.length === 0
            ? 0
            : `${unexpected.length}: ${unexpected
                .slice(0, 3)
                .map((c) => `${c.kind} ${c.status} ${c.error}`)
                .join('; ')}`,
        'answered 503 Temporal is unavailable (retryable; counted as possibly taken)':
          unavailable === 0 ? 0 : `${unavailable}: ${unavailableReasons(calls)}`,
        'references whose state is not a last successful call': notLastWriter === 0 ? 0 : wrong.join(', '),
        'references whose state is not the very last acknowledged call': notLastAcknowledged,
        'schedules whose run input is of another generation': mixedGenerations,
        'stale writes that landed in a re-created schedule, restored (SCHEDULE_RESTORED warnings)':
          warned('SCHEDULE_RESTORED'),
        'of those, found by the stale write itself, with no change of the new schedule lost':
          stderr.split('none of its own changes was lost').length - 1,
        "of those, found by the stale write itself, that replaced the new schedule's own changes":
          stderr.split('change(s) it had taken since its create are lost').length - 1,
        'schedules that could not be restored (SCHEDULE_UNRESTORABLE warnings)':
          warned('SCHEDULE_UNRESTORABLE'),
        'Temporal schedules the product does not list (orphans)': orphans.length,
        'listed schedules Temporal does not hold': phantoms.length,
      },
      notes: [
        'A call is a last successful call of its reference when no other successful call on it was sent after it ' +
          'was acknowledged. Calls in flight together have no order until they are answered, so the stored state ' +
          'must be one of those; the row after it counts how often it was not the single call acknowledged last ' +
          '(two overlapping calls may be answered in the other order than they took effect).',
      ],
      pass:
        winners.every((w) => w === 1) &&
        unexpected.length === 0 &&
        notLastWriter === 0 &&
        mixedGenerations === 0 &&
        orphans.length === 0 &&
        phantoms.length === 0,
    });
    for (const reference of references) {
      await app.service
        .deleteSchedule(scene.solution, { schedule_reference: reference })
        .catch(() => undefined);
    }
    await app.close();
    await scene.close();
    // What the API processes logged of the unexpected answers (their request ids), for the operator to read.
    const requestIds = unexpected.map((c) => /"request_id":"([^"]+)"/.exec(c.error)?.[1]).filter(Boolean);
    for (const api of apis) {
      const { stderr } = await api.child.exited;
      for (const line of stderr.split('\n')) {
        if (requestIds.some((id) => line.includes(id!))) console.error(line.slice(0, 4000));
      }
    }
  } catch (err) {
    await app.close();
    await scene.close();
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/** The distinct answers of the calls answered 503, each with how many gave it. */
function unavailableReasons(calls: readonly Call[]): string {
  const reasons = new Map<string, number>();
  for (const call of calls) {
    if (call.status === UNAVAILABLE) reasons.set(call.error, (reasons.get(call.error) ?? 0) + 1);
  }
  return [...reasons].map(([answer, n]) => `${n} × ${answer}`).join('; ');
}
