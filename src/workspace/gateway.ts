/**
 * The Temporal side of workspace schedules: with `runs.ts` (their runs), the only code of this feature that calls
 * Temporal. Each workspace schedule is a Temporal Schedule of its own (visible and pausable in the Web UI and the
 * CLI like every other), firing `workspaceRunWorkflow`. Writes are never lost and never cross into another
 * generation of the key: like the connector's gateway, each carries the conflict token it read and a fresh
 * `revision`, is read back, is recomputed and sent again when a concurrent change won (Temporal drops a stale
 * write silently), and restores a schedule a stale write overwrote (`generation-restore.ts`). Errors are
 * translated by `temporal-errors.ts`.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import {
  compileScheduleOptions,
  encodeScheduleAction,
  encodeScheduleSpec,
} from '@temporalio/client/lib/schedule-helpers';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { compileSchedule, type CompiledSchedule, type WindowOptions } from '../temporal/compile';
import { equalityClause } from '../temporal/runs';
import { SOLUTION } from '../temporal/search-attributes';
import {
  isConflict,
  ScheduleNotFoundError,
  ScheduleOverwrittenError,
  ScheduleWriteConflictError,
  translateTemporalError,
  translating,
} from '../temporal/temporal-errors';
import { MAX_WRITE_ATTEMPTS } from '../temporal/schedule-gateway';
import { SerialWrites } from '../temporal/serial-writes';
import { pauseAfterLostWrite } from '../temporal/write-backoff';
import { isOverwrittenRecord, overwrittenRecordNote, restoreOwnRecord } from './generation-restore';
import { listWorkspaceRuns, type WorkspaceRunView } from './runs';
import type { WorkspaceRunInput, WorkspaceRunOptions, WorkspaceScheduleRecord } from './run-input';
import { WORKSPACE_RUN_WORKFLOW } from './run-input';
import {
  isWorkspaceMemo,
  stateAfterWrite,
  storedWorkspaceScheduleOf,
  workspaceMemo,
  workspaceScheduleOptions,
  workspaceSearchAttributes,
  type Activation,
  type StoredWorkspaceSchedule,
} from './schedule-options';

/** A write: the new input (or none for a re-arm) and what it does to activation. */
export interface WorkspaceWrite {
  readonly input: WorkspaceScheduleRecord;
  readonly activation?: Activation;
}

export type { WorkspaceRunView } from './runs';

/** Workspace schedules on one Temporal namespace. */
export class WorkspaceGateway {
  private readonly serial = new SerialWrites();

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly window: WindowOptions = {},
    /** The clock a restored record's spec is compiled from. @default the system's */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates the schedule. @throws {@link ScheduleAlreadyExistsError} when the id is taken. */
  async create(input: WorkspaceScheduleRecord, now: Date): Promise<CompiledSchedule> {
    const compiled = compileSchedule(input.recurrence, now, this.window);
    const stored: WorkspaceScheduleRecord = { ...input, revision: randomUUID() };
    await translating(input.scheduleId, () =>
      this.client.schedule.create(
        workspaceScheduleOptions(stored, compiled, this.taskQueue, workspaceMemo(input, now)),
      ),
    );
    return compiled;
  }

  /** The decoded schedule, or undefined when there is none (or it is not a workspace schedule). */
  async get(scheduleId: string): Promise<StoredWorkspaceSchedule | undefined> {
    let description: ScheduleDescription;
    try {
      description = await this.client.schedule.getHandle(scheduleId).describe();
    } catch (err) {
      const translated = translateTemporalError(err, scheduleId);
      if (translated instanceof ScheduleNotFoundError) return undefined;
      throw translated;
    }
    return storedWorkspaceScheduleOf(scheduleId, description);
  }

  /**
   * Replaces the schedule's input and recompiles its spec from `now`; the state follows {@link stateAfterWrite}.
   * @returns the schedule as read back, or undefined when it is gone (or `change` returned undefined: as read).
   */
  async write(
    scheduleId: string,
    change: (stored: StoredWorkspaceSchedule) => WorkspaceWrite | undefined,
    now: Date,
  ): Promise<StoredWorkspaceSchedule | undefined> {
    return await this.writeRaw(scheduleId, (stored) => {
      const write = change(stored);
      if (!write) return undefined;
      const compiled = compileSchedule(write.input.recurrence, now, this.window);
      const state = stateAfterWrite(write.input, compiled, stored, write.activation ?? 'keep');
      return {
        input: write.input,
        spec: encodeScheduleSpec(compiled.spec),
        state: { paused: state.paused, notes: state.note },
      };
    });
  }

  /**
   * Moves a window-mode schedule's window past `after`; pauses a schedule with no further occurrence. A schedule
   * paused because its record could not be restored (`ScheduleOverwrittenError`) is left as it is.
   */
  async rearm(scheduleId: string, after: Date): Promise<void> {
    try {
      await this.rearmOnce(scheduleId, after);
    } catch (err) {
      if (!(err instanceof ScheduleOverwrittenError)) throw err;
    }
  }

  private async rearmOnce(scheduleId: string, after: Date): Promise<void> {
    await this.writeRaw(scheduleId, (stored) => {
      const compiled = compileSchedule(stored.input.recurrence, after, this.window);
      if (compiled.mode !== 'window' && !compiled.paused) return undefined;
      const state = stateAfterWrite(stored.input, compiled, stored, 'keep');
      return {
        input: stored.input,
        ...(compiled.mode === 'window' ? { spec: encodeScheduleSpec(compiled.spec) } : {}),
        state: { paused: state.paused, notes: state.note },
      };
    });
  }

  /** Deletes the schedule; false when absent. */
  async delete(scheduleId: string): Promise<boolean> {
    try {
      await translating(scheduleId, () => this.client.schedule.getHandle(scheduleId).delete());
      return true;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
  }

  /** Fires the whole schedule now, outside its cadence. @throws {@link ScheduleNotFoundError} */
  async trigger(scheduleId: string): Promise<void> {
    await translating(scheduleId, () =>
      this.client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.ALLOW_ALL),
    );
  }

  /** Starts a run outside the schedule (one job, or a service); returns its workflow id. */
  async startRun(
    input: WorkspaceRunInput,
    options: WorkspaceRunOptions,
    workflowId: string,
  ): Promise<string> {
    await translating('', () =>
      this.client.workflow.start(WORKSPACE_RUN_WORKFLOW, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input, options],
        typedSearchAttributes: workspaceSearchAttributes(input),
        staticSummary: `Manual run of workspace schedule "${input.key}" (${input.solution})`,
      }),
    );
    return workflowId;
  }

  /** The workspace schedules of a solution, through visibility (eventually consistent), ordered by key. */
  async list(solution: string): Promise<StoredWorkspaceSchedule[]> {
    const clause = equalityClause(SOLUTION.name, solution);
    const ids = await translating('', async () => {
      const found: string[] = [];
      for await (const summary of this.client.schedule.list(clause ? { query: clause } : {})) {
        if (isWorkspaceMemo(summary.memo) && summary.memo.solution === solution)
          found.push(summary.scheduleId);
      }
      return found;
    });
    const schedules: StoredWorkspaceSchedule[] = [];
    for (const id of ids) {
      const stored = await this.get(id);
      if (stored && stored.memo.solution === solution) schedules.push(stored);
    }
    return schedules.sort((a, b) => a.input.key.localeCompare(b.input.key));
  }

  /** Ids of every workspace schedule (the sweep). */
  async listAllIds(): Promise<string[]> {
    return await translating('', async () => {
      const ids: string[] = [];
      for await (const summary of this.client.schedule.list()) {
        if (isWorkspaceMemo(summary.memo)) ids.push(summary.scheduleId);
      }
      return ids;
    });
  }

  /** {@link listWorkspaceRuns} */
  async listRuns(solution: string, key: string, limit: number): Promise<WorkspaceRunView[]> {
    return await listWorkspaceRuns(this.client, solution, key, limit);
  }

  /**
   * Read-modify-write, never lost and never into another generation (as `../temporal/schedule-writes.ts`): a
   * write is for the generation it first read; one whose read-back shows it landed in a new generation of the key
   * puts that schedule's own record back and reports the schedule gone; a write that reads a schedule
   * overwritten that way restores it first.
   */
  private async writeRaw(
    scheduleId: string,
    change: (stored: StoredWorkspaceSchedule) => RawWrite | undefined,
  ): Promise<StoredWorkspaceSchedule | undefined> {
    return await this.serial.run(scheduleId, async () => {
      let generation: string | undefined;
      // What the last read-back found: the next attempt writes on it rather than reading again.
      let known: StoredWorkspaceSchedule | undefined;
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const stored = known ?? (await this.get(scheduleId));
        known = undefined;
        if (!stored) return undefined;
        generation ??= stored.memo.generation;
        if (isOverwrittenRecord(stored.memo, stored.input)) {
          try {
            known = await this.restore(stored);
          } catch (err) {
            // The stale write's own schedule is gone whether or not the one it landed in could be restored.
            if (err instanceof ScheduleOverwrittenError && stored.memo.generation !== generation)
              return undefined;
            throw err;
          }
          continue;
        }
        if (stored.memo.generation !== generation) return undefined;
        const write = change(stored);
        if (!write) return stored;
        const sent = await this.sendAndReadBack(stored, write);
        if (sent === 'gone') return undefined;
        if (sent !== 'lost') {
          const { after, revision } = sent;
          if (after.memo.generation === generation && after.input.revision === revision) return after;
          // Taken by another generation's schedule, the next attempt's read restores it; lost, it is sent again.
          known = after;
          if (after.input.revision === revision) continue;
        }
        await pauseAfterLostWrite(attempt);
      }
      throw new ScheduleWriteConflictError(scheduleId, MAX_WRITE_ATTEMPTS);
    });
  }

  /**
   * Puts back the record the schedule was created with (its spec compiled afresh, its action rebuilt as a create
   * builds it) and reads the schedule back; one attempt, the caller's loop sees to the rest.
   * @throws {@link ScheduleOverwrittenError} (after pausing the schedule) when it cannot be restored.
   */
  private async restore(stored: StoredWorkspaceSchedule): Promise<StoredWorkspaceSchedule | undefined> {
    const restoration = restoreOwnRecord(stored.memo, stored.input);
    process.emitWarning(
      `Workspace schedule ${stored.scheduleId} (generation ${stored.memo.generation}) held the record of ` +
        `generation ${stored.input.generation}, written by a stale write; ` +
        ('unrestorable' in restoration
          ? `it cannot be restored (${restoration.unrestorable}) and is paused`
          : 'restoring the record it was created with'),
      {
        type: 'RunbookScheduleWarning',
        code: 'unrestorable' in restoration ? 'SCHEDULE_UNRESTORABLE' : 'SCHEDULE_RESTORED',
      },
    );
    if ('unrestorable' in restoration) {
      const note = overwrittenRecordNote(restoration.unrestorable);
      if (!(stored.paused && stored.note === note)) {
        await this.sendAndReadBack(stored, { input: stored.input, state: { paused: true, notes: note } });
      }
      throw new ScheduleOverwrittenError(stored.scheduleId, restoration.unrestorable);
    }
    const own = { ...restoration.restored, scheduleId: stored.scheduleId };
    const compiled = compileSchedule(own.recurrence, this.clock(), this.window);
    const state = stateAfterWrite(own, compiled, { paused: false, note: undefined }, 'keep');
    const { action } = compileScheduleOptions(
      workspaceScheduleOptions(own, compiled, this.taskQueue, stored.memo),
    );
    const header = stored.description.raw.schedule?.action?.startWorkflow?.header?.fields ?? {};
    const sent = await this.sendAndReadBack(stored, {
      input: own,
      spec: encodeScheduleSpec(compiled.spec),
      state: { paused: state.paused, notes: state.note },
      action: await encodeScheduleAction(
        this.client.options.loadedDataConverter,
        this.client.options.namespace,
        action,
        header,
      ),
    });
    if (sent === 'gone') return undefined;
    return sent === 'lost' ? await this.get(stored.scheduleId) : sent.after;
  }

  /** Sends one write with the token of `stored` and a fresh revision; then the schedule as read back. */
  private async sendAndReadBack(
    stored: StoredWorkspaceSchedule,
    write: RawWrite,
  ): Promise<'gone' | 'lost' | { readonly after: StoredWorkspaceSchedule; readonly revision: string }> {
    const revision = randomUUID();
    const raw = stored.description.raw.schedule ?? {};
    const input: WorkspaceScheduleRecord = { ...write.input, revision };
    const payloads = await encodeToPayloads(this.client.options.loadedDataConverter, input);
    const action = write.action ?? raw.action;
    try {
      await this.client.workflowService.updateSchedule({
        namespace: this.client.options.namespace,
        scheduleId: stored.scheduleId,
        schedule: {
          ...raw,
          spec: write.spec ?? raw.spec,
          state: { ...raw.state, ...write.state },
          action: {
            ...action,
            startWorkflow: { ...action?.startWorkflow, input: { payloads: payloads ?? [] } },
          },
        },
        conflictToken: stored.description.raw.conflictToken,
        identity: this.client.options.identity,
        requestId: randomUUID(),
      });
    } catch (err) {
      // A server that refuses a stale token (rather than dropping the write) says so: recompute and retry.
      if (isConflict(err)) return 'lost';
      const translated = translateTemporalError(err, stored.scheduleId);
      if (translated instanceof ScheduleNotFoundError) return 'gone';
      throw translated;
    }
    const after = await this.get(stored.scheduleId);
    return after ? { after, revision } : 'gone';
  }
}

/** A raw write: the new record, and what else changes; everything else is kept as read. */
interface RawWrite {
  readonly input: WorkspaceScheduleRecord;
  readonly spec?: temporal.api.schedule.v1.IScheduleSpec;
  readonly state: temporal.api.schedule.v1.IScheduleState;
  /** The whole action, rebuilt (a restore). */
  readonly action?: temporal.api.schedule.v1.IScheduleAction;
}
