/**
 * The Temporal-facing side of schedules: the only code that calls Temporal's schedule API. It sends what
 * `schedule-options.ts` builds, changes a schedule only through `schedule-writes.ts` (never lost, never into
 * another generation), and turns Temporal's errors into the product's (`temporal-errors.ts`). The connector
 * depends on the {@link ScheduleGateway} interface only.
 */
import { randomUUID } from 'node:crypto';
import {
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { excludedInstants, isExcluded, withExclusion } from '../instances/exclusions';
import type { Recurrence } from '../recurrence';
import { compileSchedule, DEFAULT_WINDOW, type CompiledSchedule, type WindowOptions } from './compile';
import type { ScheduleMemo, ScheduledRunInput } from './run-input';
import { BatchedLookup } from './batched-lookup';
import { cancelRuns, listRuns, openRunsOf, type RunScope, type RunView } from './runs';
import { SWEEP_SCHEDULE_ID } from './schedule-ids';
import {
  countRunbookSchedules,
  listScheduleIds,
  listSchedulePage,
  type SchedulePage,
  type SchedulePageRequest,
} from './schedule-list';
import { ScheduleWriter, type ScheduleWrite } from './schedule-writes';
import {
  buildScheduleOptions,
  CATCHUP_WINDOW_MS,
  lastCalendarInstant,
  stateNote,
  storedScheduleOf,
  sweepScheduleOptions,
  withRearmFrom,
  writtenSearchAttributes,
  type StoredSchedule,
} from './schedule-options';
import {
  ScheduleAlreadyExistsError,
  ScheduleNotFoundError,
  ScheduleOverwrittenError,
  translateTemporalError,
  translating,
} from './temporal-errors';

export type { StoredSchedule } from './schedule-options';
export type { ScheduleGateway } from './schedule-gateway-port';
import type { ScheduleGateway } from './schedule-gateway-port';

export { MAX_WRITE_ATTEMPTS, type ScheduleWrite } from './schedule-writes';

/** {@link ScheduleGateway} on one Temporal namespace, plus what the worker needs (re-arm, sweep, last error). */
export class TemporalScheduleGateway implements ScheduleGateway {
  /** Every change of a schedule goes through it; its writes to one schedule run one at a time. */
  private readonly writer: ScheduleWriter;
  /** The open runs of references, one visibility query for the deletes that arrive together. */
  private readonly openRuns: BatchedLookup<RunScope, WorkflowExecutionInfo[]>;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    protected readonly window: WindowOptions = {},
    /** The clock, read after a write to see whether a first instant passed meanwhile. @default the system's */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.writer = new ScheduleWriter({ client, taskQueue, window, clock, read: (id) => this.get(id) });
    this.openRuns = new BatchedLookup((scopes) => openRunsOf(client, scopes));
  }

  async create(input: ScheduledRunInput, memo: ScheduleMemo, now: Date): Promise<CompiledSchedule> {
    const compiled = compileSchedule(input.recurrence, now, this.window);
    const stored: ScheduledRunInput = { ...withRearmFrom(input, compiled), revision: randomUUID() };
    await translating(input.scheduleId, () =>
      this.client.schedule.create(buildScheduleOptions(stored, compiled, this.taskQueue, memo)),
    );
    await this.fireInstantsPassedWhileWriting(input.scheduleId, compiled, now);
    return compiled;
  }

  /**
   * Temporal never fires a time that passed before it had the spec, and a first occurrence can be a second
   * away (as soon as possible, or a minutely rule's default start): if it passed while the schedule was being
   * written, it is fired now by a backfill, with its own nominal time. A backfill is a manual start, which both of
   * Temporal's schedulers let start a workflow id again once its run has closed: so instants Temporal has fired
   * after all (its recent actions) are left out, and one it fires after the backfill is refused (same workflow
   * id, a run already there).
   */
  protected async fireInstantsPassedWhileWriting(
    scheduleId: string,
    compiled: CompiledSchedule,
    since: Date,
  ): Promise<void> {
    const first = compiled.nextOccurrenceAt;
    if (compiled.paused || first === null) return;
    const late = this.clock();
    if (first > late) return;
    const start = await this.afterFiredInstants(scheduleId, since);
    if (start === undefined || start > late) return;
    await this.backfill(scheduleId, start, late);
  }

  /**
   * Where a backfill from `since` starts so that it fires no instant Temporal has fired: one second past the last
   * recent action at or after `since`, or `since`. Undefined when the schedule is gone.
   */
  private async afterFiredInstants(scheduleId: string, since: Date): Promise<Date | undefined> {
    const stored = await this.get(scheduleId);
    if (!stored) return undefined;
    const fired = stored.description.info.recentActions
      .map((action) => action.scheduledAt.getTime())
      .filter((at) => at >= since.getTime());
    return fired.length === 0 ? since : new Date(Math.max(...fired) + 1000);
  }

  async get(scheduleId: string): Promise<StoredSchedule | undefined> {
    let description: ScheduleDescription;
    try {
      description = await this.client.schedule.getHandle(scheduleId).describe();
    } catch (err) {
      const translated = translateTemporalError(err, scheduleId);
      if (translated instanceof ScheduleNotFoundError) return undefined;
      throw translated;
    }
    return storedScheduleOf(scheduleId, description);
  }

  // The run input comes from each attempt's own read; a reference deleted and created again meanwhile answers
  // not found (`schedule-writes.ts`).
  async replace(
    scheduleId: string,
    solution: string,
    recurrence: Recurrence,
    now: Date,
  ): Promise<CompiledSchedule> {
    const compiled = compileSchedule(recurrence, now, this.window);
    const written = await this.write(scheduleId, (stored) => {
      if (stored.memo.solution !== solution) throw new ScheduleNotFoundError(scheduleId);
      return {
        input: withRearmFrom({ ...stored.input, recurrence }, compiled),
        spec: encodeScheduleSpec(compiled.spec),
        state: { paused: compiled.paused, notes: stateNote(compiled) },
      };
    });
    if (!written) throw new ScheduleNotFoundError(scheduleId);
    await this.fireInstantsPassedWhileWriting(scheduleId, compiled, now);
    return compiled;
  }

  async updateRunInput(input: ScheduledRunInput): Promise<void> {
    const written = await this.write(input.scheduleId, (stored) => ({
      input: sameGeneration(stored, input),
    }));
    if (!written) throw new ScheduleNotFoundError(input.scheduleId);
  }

  async delete(scheduleId: string): Promise<boolean> {
    try {
      await translating(scheduleId, () => this.client.schedule.getHandle(scheduleId).delete());
      return true;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
  }

  // A pause or resume is a patch, which Temporal applies unconditionally (and which moves the conflict token, so
  // a concurrent write based on the state before it is refused and recomputed): it cannot be lost.
  async pause(scheduleId: string, note = 'Paused'): Promise<void> {
    await translating(scheduleId, () => this.client.schedule.getHandle(scheduleId).pause(note));
  }

  async resume(scheduleId: string, note = 'Resumed'): Promise<void> {
    await translating(scheduleId, () => this.client.schedule.getHandle(scheduleId).unpause(note));
  }

  async trigger(scheduleId: string): Promise<void> {
    await translating(scheduleId, () =>
      this.client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.ALLOW_ALL),
    );
  }

  async listSchedules(solution: string): Promise<StoredSchedule[]> {
    const schedules: StoredSchedule[] = [];
    for (const id of await this.listIds(solution)) {
      const stored = await this.get(id);
      if (stored && stored.memo.solution === solution) schedules.push(stored);
    }
    return schedules;
  }

  async listSchedulePage(solution: string, request: SchedulePageRequest): Promise<SchedulePage> {
    return await listSchedulePage(this.client, solution, request, (id) => this.get(id));
  }

  /** Counted by Temporal, or by listing where the server or the solution's name does not allow it. */
  async countSchedules(solution: string): Promise<number> {
    return (await countRunbookSchedules(this.client, solution)) ?? (await this.listIds(solution)).length;
  }

  async listRuns(solution: string, reference: string, limit: number): Promise<RunView[]> {
    return await translating('', () => listRuns(this.client, solution, reference, limit));
  }

  /**
   * Cancels the reference's runs still running. Deletes arriving together share one visibility query
   * ({@link BatchedLookup}). Visibility is eventually consistent: a run started in the last moment may not be
   * listed yet.
   */
  async cancelRunningRuns(solution: string, reference: string): Promise<number> {
    return await translating('', async () =>
      cancelRuns(this.client, await this.openRuns.get({ solution, reference })),
    );
  }

  /** {@link listScheduleIds} */
  async listIds(solution?: string): Promise<string[]> {
    return await translating('', () => listScheduleIds(this.client, solution));
  }

  /** Creates the sweep schedule if missing, then triggers one sweep now. */
  async ensureSweepSchedule(): Promise<void> {
    try {
      await translating(SWEEP_SCHEDULE_ID, () =>
        this.client.schedule.create(sweepScheduleOptions(this.taskQueue)),
      );
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyExistsError)) throw err;
    }
    await translating(SWEEP_SCHEDULE_ID, () => this.client.schedule.getHandle(SWEEP_SCHEDULE_ID).trigger());
  }

  /**
   * Moves a window-mode schedule's window forward to the instants after `after`; a schedule (of either mode)
   * with no further occurrence pauses itself with the reason as its note (FEATURES.md A5). If the old window ran
   * dry before `now`, the missed instants within the catch-up window are backfilled.
   * @returns the compiled schedule, or undefined when the schedule is gone.
   */
  async rearm(scheduleId: string, after: Date, now: Date): Promise<CompiledSchedule | undefined> {
    let result: { compiled: CompiledSchedule; oldEnd: Date | undefined; paused: boolean } | undefined;
    const written = await this.writeUnlessOverwritten(scheduleId, (stored) => {
      const oldEnd = lastCalendarInstant(stored.description.spec.calendars);
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
      const noFurther = compiled.nextOccurrenceAt === null && !stored.input.recurrence.disabled;
      result = { compiled, oldEnd, paused: stored.paused || noFurther };
      // A native interval spec never needs moving; it only has to disable itself once its rule has ended.
      if (compiled.mode !== 'window' && (stored.paused || !noFurther)) return undefined;
      const raw = stored.description.raw.schedule;
      return {
        ...(compiled.mode === 'window'
          ? { spec: encodeScheduleSpec(compiled.spec), input: withRearmFrom(stored.input, compiled) }
          : {}),
        state: {
          ...raw?.state,
          paused: result.paused,
          notes: noFurther ? compiled.reason : (raw?.state?.notes ?? null),
        },
      };
    });
    if (!written || !result) return undefined;
    const { compiled, oldEnd, paused } = result;
    if (compiled.mode === 'window' && oldEnd && oldEnd < now && !paused) {
      const start = new Date(Math.max(oldEnd.getTime() + 1000, now.getTime() - CATCHUP_WINDOW_MS));
      if (start < now) await this.backfill(scheduleId, start, now);
    }
    return compiled;
  }

  /**
   * Excludes one occurrence from the schedule's spec (an aborted instance), so Temporal never fires it; past
   * exclusions are dropped. @returns the instants now excluded, or undefined when the schedule is gone.
   */
  async excludeOccurrence(scheduleId: string, instant: Date, now: Date): Promise<Date[] | undefined> {
    const written = await this.writeUnlessOverwritten(scheduleId, (stored) => {
      const spec = stored.description.raw.schedule?.spec ?? {};
      if (isExcluded(spec, instant)) return undefined;
      return { spec: withExclusion(spec, instant, new Date(now.getTime() - CATCHUP_WINDOW_MS)) };
    });
    return written && excludedInstants(written.description.raw.schedule?.spec);
  }

  /** Records a dispatch failure on the schedule, where the UI and `temporal schedule describe` show it. */
  async recordLastError(scheduleId: string, message: string): Promise<void> {
    await this.writeUnlessOverwritten(scheduleId, (stored) => ({
      searchAttributes: writtenSearchAttributes(stored, stored.input, message),
    }));
  }

  private async backfill(scheduleId: string, start: Date, end: Date): Promise<void> {
    await translating(scheduleId, () =>
      this.client.schedule
        .getHandle(scheduleId)
        .backfill({ start, end, overlap: ScheduleOverlapPolicy.ALLOW_ALL }),
    );
  }

  /**
   * {@link write} for the worker's own upkeep: a schedule paused because its run input could not be restored
   * (`ScheduleOverwrittenError`) is left as it is, as if gone.
   */
  private async writeUnlessOverwritten(
    scheduleId: string,
    change: (stored: StoredSchedule) => ScheduleWrite | undefined,
  ): Promise<StoredSchedule | undefined> {
    try {
      return await this.write(scheduleId, change);
    } catch (err) {
      if (err instanceof ScheduleOverwrittenError) return undefined;
      throw err;
    }
  }

  /** {@link ScheduleWriter.write}: read-modify-write, never lost and never into another generation. */
  protected async write(
    scheduleId: string,
    change: (stored: StoredSchedule) => ScheduleWrite | undefined,
  ): Promise<StoredSchedule | undefined> {
    return await this.writer.write(scheduleId, change);
  }
}

/**
 * The caller's run input, if it is of the schedule's generation. A reference deleted and created again since the
 * caller read it is another schedule: writing the old one's input into it would give its runs the old generation's
 * keys and body, so the change is refused as for a deleted schedule.
 * @throws {@link ScheduleNotFoundError} when the generations differ.
 */
function sameGeneration(stored: StoredSchedule, input: ScheduledRunInput): ScheduledRunInput {
  if (stored.memo.generation !== input.generation) throw new ScheduleNotFoundError(input.scheduleId);
  return input;
}
