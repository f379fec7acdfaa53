/**
 * The Temporal-facing side of schedules: builds a Temporal Schedule from a compiled recurrence, creates,
 * replaces, re-arms, describes and deletes it. Every Temporal schedule call of the product goes through here,
 * and Temporal's transport errors are translated here.
 */
import { randomUUID } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import type { SearchAttributePair } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import {
  compileSchedule,
  DEFAULT_WINDOW,
  MONTHS,
  type CompiledSchedule,
  type WindowOptions,
} from './compile';
import { WorkflowType, type ScheduleMemo, type ScheduledRunInput } from './run-input';
import { cancelRunningRuns, listRuns, type RunView } from './runs';
import { GENERATION, LAST_ERROR, REFERENCE, RUNBOOK, SOLUTION } from './search-attributes';

/**
 * Missed fires within this window after a server outage are still taken (late, with their own
 * `triggered_at`); older ones are skipped. Also bounds the backfill of a window that ran dry.
 */
export const CATCHUP_WINDOW_MS = 24 * 3_600_000;

/** Prefix of every schedule id the product creates; operators filter on it in the UI. */
export const SCHEDULE_ID_PREFIX = 'rbs';

/**
 * Readable, unique schedule id of a reference in a solution: `rbs:<solution>:<reference>`. `:` and `%` in the
 * solution are percent-encoded, so the first `:` after the prefix always ends the solution: otherwise solution
 * `acme` with reference `team:nightly` and solution `acme:team` with `nightly` would share one schedule, and
 * each could read, replace or delete the other's (FEATURES.md A10).
 */
export function scheduleIdFor(solution: string, reference: string): string {
  const escaped = solution.replace(/[%:]/g, (c) => encodeURIComponent(c));
  return `${SCHEDULE_ID_PREFIX}:${escaped}:${reference}`;
}

/** A fresh generation id: creation instant plus randomness, so two generations never collide. */
export function newGeneration(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomUUID().slice(0, 8)}`;
}

/** A schedule as stored in Temporal, decoded. */
export interface StoredSchedule {
  readonly scheduleId: string;
  readonly memo: ScheduleMemo;
  readonly input: ScheduledRunInput;
  readonly paused: boolean;
  readonly note: string | undefined;
  readonly lastError: string | undefined;
  readonly nextActionTimes: Date[];
  readonly description: ScheduleDescription;
}

/** A reference that already has a live schedule in the solution. */
export class ScheduleAlreadyExistsError extends Error {
  override readonly name = 'ScheduleAlreadyExistsError';
  constructor(readonly scheduleId: string) {
    super(`Schedule ${scheduleId} already exists`);
  }
}

function searchAttributesOf(input: ScheduledRunInput): SearchAttributePair[] {
  return [
    { key: SOLUTION, value: input.solution },
    { key: REFERENCE, value: input.reference },
    { key: RUNBOOK, value: input.runbookUuid },
    { key: GENERATION, value: input.generation },
  ];
}

function stateNote(compiled: CompiledSchedule): string {
  return compiled.reason ?? `Next occurrence ${compiled.nextOccurrenceAt?.toISOString() ?? 'unknown'}`;
}

/** Full schedule options (for create) of a run input and its compiled spec. */
export function buildScheduleOptions(
  input: ScheduledRunInput,
  compiled: CompiledSchedule,
  taskQueue: string,
  memo: ScheduleMemo,
): ScheduleOptions {
  return {
    scheduleId: input.scheduleId,
    spec: compiled.spec,
    action: {
      type: 'startWorkflow',
      workflowType: WorkflowType.ScheduledRun,
      // Temporal appends the occurrence instant: `<schedule id>:<generation>-2025-01-31T22:00:00Z`.
      workflowId: `${input.scheduleId}:${input.generation}`,
      taskQueue,
      args: [input],
      typedSearchAttributes: searchAttributesOf(input),
      staticSummary: `Runbook ${input.runbookUuid} fired by schedule "${input.reference}" (${input.solution})`,
    },
    policies: {
      // Each occurrence is its own run: none is dropped or delayed while an earlier one still retries.
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      catchupWindow: CATCHUP_WINDOW_MS,
      pauseOnFailure: false,
    },
    memo: memo as unknown as Record<string, unknown>,
    typedSearchAttributes: searchAttributesOf(input),
    state: { paused: compiled.paused, note: stateNote(compiled) },
  };
}

/** Schedule operations on one Temporal namespace. */
export class ScheduleGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly window: WindowOptions = {},
    /** The clock, read after a write to see whether a first instant passed meanwhile. @default the system's */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Creates the Temporal schedule; atomic on the schedule id, so of two concurrent creates of one reference
   * exactly one succeeds.
   * @throws {@link ScheduleAlreadyExistsError} when the id is taken.
   */
  async create(input: ScheduledRunInput, memo: ScheduleMemo, now: Date): Promise<CompiledSchedule> {
    const compiled = compileSchedule(input.recurrence, now, this.window);
    try {
      await this.client.schedule.create(buildScheduleOptions(input, compiled, this.taskQueue, memo));
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) throw new ScheduleAlreadyExistsError(input.scheduleId);
      throw err;
    }
    await this.fireInstantsPassedWhileWriting(input.scheduleId, compiled, now);
    return compiled;
  }

  /**
   * Temporal never fires a time that passed before it had the spec, and a first occurrence can be a second
   * away (as soon as possible, or a minutely rule's default start): if it passed while the schedule was being
   * written, it is fired now by a backfill, with its own nominal time. Had Temporal fired it after all, the
   * backfill's run has the same workflow id and is dropped, so it never runs twice.
   */
  private async fireInstantsPassedWhileWriting(
    scheduleId: string,
    compiled: CompiledSchedule,
    since: Date,
  ): Promise<void> {
    const first = compiled.nextOccurrenceAt;
    if (compiled.paused || first === null) return;
    const late = this.clock();
    if (first > late) return;
    await this.client.schedule
      .getHandle(scheduleId)
      .backfill({ start: since, end: late, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
  }

  /** The decoded schedule, or undefined when none exists (or it is not one of ours). */
  async get(scheduleId: string): Promise<StoredSchedule | undefined> {
    let description: ScheduleDescription;
    try {
      description = await this.client.schedule.getHandle(scheduleId).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return undefined;
      throw err;
    }
    const memo = description.memo as ScheduleMemo | undefined;
    const action = description.action;
    if (memo?.product !== 'runbook-scheduler' || action.type !== 'startWorkflow') return undefined;
    const input = action.args?.[0] as ScheduledRunInput | undefined;
    if (!input) return undefined;
    return {
      scheduleId,
      memo,
      input,
      paused: description.state.paused,
      note: description.state.note,
      lastError: description.typedSearchAttributes.get(LAST_ERROR),
      nextActionTimes: description.info.nextActionTimes,
      description,
    };
  }

  /**
   * Replaces rule, body and target of an existing schedule (Update Schedule: a full replacement). The new
   * spec drops every pending instant of the old rule.
   * @throws {@link ScheduleNotFoundError} when it no longer exists.
   */
  async replace(input: ScheduledRunInput, now: Date): Promise<CompiledSchedule> {
    const compiled = compileSchedule(input.recurrence, now, this.window);
    await this.updateWithRunInput(input, () => ({
      spec: compiled.spec,
      state: { paused: compiled.paused, note: stateNote(compiled) },
    }));
    await this.fireInstantsPassedWhileWriting(input.scheduleId, compiled, now);
    return compiled;
  }

  /**
   * Replaces only what each run is given (target, job context path), keeping the spec, policies and state:
   * a schedule paused by an operator stays paused.
   * @throws {@link ScheduleNotFoundError} when it no longer exists.
   */
  async updateRunInput(input: ScheduledRunInput): Promise<void> {
    await this.updateWithRunInput(input, (previous) => ({ spec: previous.spec, state: previous.state }));
  }

  /** Gives each run `input`, with the spec and state `change` picks; policies are kept. */
  private async updateWithRunInput(
    input: ScheduledRunInput,
    change: (previous: ScheduleDescription) => Pick<ScheduleUpdateOptions, 'spec' | 'state'>,
  ): Promise<void> {
    await this.client.schedule.getHandle(input.scheduleId).update((previous) => {
      if (previous.action.type !== 'startWorkflow')
        throw new ScheduleNotFoundError('not ours', input.scheduleId);
      return {
        ...change(previous),
        action: { ...previous.action, args: [input] },
        policies: previous.policies,
      };
    });
  }

  /** Deletes the Temporal schedule; its past runs stay in the namespace's history. False when absent. */
  async delete(scheduleId: string): Promise<boolean> {
    try {
      await this.client.schedule.getHandle(scheduleId).delete();
      return true;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
  }

  /** Pauses (a user pause: the note says so). */
  async pause(scheduleId: string, note = 'Paused'): Promise<void> {
    await this.client.schedule.getHandle(scheduleId).pause(note);
  }

  /** Resumes a paused schedule. */
  async resume(scheduleId: string, note = 'Resumed'): Promise<void> {
    await this.client.schedule.getHandle(scheduleId).unpause(note);
  }

  /** Fires now, outside the cadence. */
  async trigger(scheduleId: string): Promise<void> {
    await this.client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  }

  /**
   * Moves a window-mode schedule's window forward to the instants after `after`; a schedule (of either mode)
   * with no further occurrence pauses itself with the reason as its note (FEATURES.md A5). If the old window ran dry before `now`, the missed
   * instants within the catch-up window are backfilled.
   * @returns the compiled schedule, or undefined when the schedule is gone.
   */
  async rearm(scheduleId: string, after: Date, now: Date): Promise<CompiledSchedule | undefined> {
    let result: { compiled: CompiledSchedule; oldEnd: Date | undefined; paused: boolean } | undefined;
    await this.updateAtomically(scheduleId, (stored) => {
      const oldEnd = lastCalendarInstant(stored.description);
      // A window that ran dry (no worker re-armed it) missed the instants after its end: the new window starts
      // there (within the catch-up window), so the backfill below has them to fire, and still reaches as far
      // past `now` as a window compiled from `now` would.
      const from =
        oldEnd !== undefined && oldEnd < now
          ? new Date(Math.min(after.getTime(), Math.max(oldEnd.getTime(), now.getTime() - CATCHUP_WINDOW_MS)))
          : after;
      const minSpanMs = this.window.minSpanMs ?? DEFAULT_WINDOW.minSpanMs;
      const compiled = compileSchedule(stored.input.recurrence, from, {
        ...this.window,
        minSpanMs: minSpanMs + Math.max(0, now.getTime() - from.getTime()),
      });
      result = { compiled, oldEnd, paused: stored.paused };
      const noFurther = compiled.nextOccurrenceAt === null && !stored.input.recurrence.disabled;
      result.paused = stored.paused || noFurther;
      // A native interval spec never needs moving; it only has to disable itself once its rule has ended.
      if (compiled.mode !== 'window' && (stored.paused || !noFurther)) return undefined;
      const raw = stored.description.raw.schedule;
      return {
        schedule: {
          ...raw,
          spec: compiled.mode === 'window' ? encodeScheduleSpec(compiled.spec) : raw?.spec,
          state: {
            ...raw?.state,
            paused: result.paused,
            notes: noFurther ? compiled.reason : (raw?.state?.notes ?? null),
          },
        },
      };
    });
    if (!result) return undefined;
    const { compiled, oldEnd, paused } = result;
    if (compiled.mode === 'window' && oldEnd && oldEnd < now && !paused) {
      const start = new Date(Math.max(oldEnd.getTime() + 1000, now.getTime() - CATCHUP_WINDOW_MS));
      if (start < now) {
        await this.client.schedule
          .getHandle(scheduleId)
          .backfill({ start, end: now, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
      }
    }
    return compiled;
  }

  /** Records a dispatch failure on the schedule, where the UI and `temporal schedule describe` show it. */
  async recordLastError(scheduleId: string, message: string): Promise<void> {
    await this.updateAtomically(scheduleId, (stored) => ({
      schedule: stored.description.raw.schedule ?? {},
      searchAttributes: {
        indexedFields: encodeUnifiedSearchAttributes(undefined, [
          ...searchAttributesOf(stored.input),
          { key: LAST_ERROR, value: message.slice(0, 1000) },
        ]),
      },
    }));
  }

  /**
   * Read-modify-write with the describe's conflict token: a concurrent change (an Update Schedule, a pause in
   * the UI) is never overwritten; the change is recomputed on the new state instead.
   */
  private async updateAtomically(
    scheduleId: string,
    change: (stored: StoredSchedule) => RawScheduleUpdate | undefined,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const stored = await this.get(scheduleId);
      if (!stored) return;
      const update = change(stored);
      if (!update) return;
      try {
        await this.client.workflowService.updateSchedule({
          namespace: this.client.options.namespace,
          scheduleId,
          ...update,
          conflictToken: stored.description.raw.conflictToken,
          identity: this.client.options.identity,
          requestId: randomUUID(),
        });
        return;
      } catch (err) {
        if (attempt < 5 && isConflict(err)) continue;
        // A schedule with no action left (a no_repeat that fired) is closed by Temporal: nothing to change.
        if (isGrpcStatus(err, GRPC_NOT_FOUND)) return;
        throw err;
      }
    }
  }

  /** The most recent runs of a reference in a solution, newest first, also of deleted schedules. */
  async listRuns(solution: string, reference: string, limit: number): Promise<RunView[]> {
    return await listRuns(this.client, solution, reference, limit);
  }

  /** Cancels the still running runs of a reference in a solution; returns how many. */
  async cancelRunningRuns(solution: string, reference: string): Promise<number> {
    return await cancelRunningRuns(this.client, solution, reference);
  }

  /** Ids of every schedule of the product, optionally of one solution. */
  async listIds(solution?: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const summary of this.client.schedule.list()) {
      const memo = summary.memo as ScheduleMemo | undefined;
      if (memo?.product !== 'runbook-scheduler') continue;
      if (solution !== undefined && memo.solution !== solution) continue;
      ids.push(summary.scheduleId);
    }
    return ids;
  }
}

type RawScheduleUpdate = Pick<
  temporal.api.workflowservice.v1.IUpdateScheduleRequest,
  'schedule' | 'searchAttributes'
>;

function lastCalendarInstant(description: ScheduleDescription): Date | undefined {
  let last: number | undefined;
  for (const cal of description.spec.calendars ?? []) {
    const y = cal.year[0]?.start;
    const mo = cal.month[0]?.start;
    const d = cal.dayOfMonth[0]?.start;
    if (y === undefined || mo === undefined || d === undefined) continue;
    const monthIndex = typeof mo === 'number' ? mo - 1 : (MONTHS as readonly string[]).indexOf(mo);
    const t = Date.UTC(
      y,
      monthIndex,
      d,
      cal.hour[0]?.start ?? 0,
      cal.minute[0]?.start ?? 0,
      cal.second[0]?.start ?? 0,
    );
    if (last === undefined || t > last) last = t;
  }
  return last === undefined ? undefined : new Date(last);
}

const GRPC_NOT_FOUND = 5;

function isGrpcStatus(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

function isConflict(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /conflict/i.test(message);
}
