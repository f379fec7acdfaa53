/**
 * The Temporal side of workspace schedules: the only code of this feature that calls Temporal. Each workspace
 * schedule is a Temporal Schedule of its own (visible and pausable in the Web UI and the CLI like every other),
 * firing `workspaceRunWorkflow`. Writes are never lost: like the connector's gateway, each carries the conflict
 * token it read and a fresh `revision`, is read back, and is recomputed and sent again when a concurrent change
 * won (Temporal drops a stale write silently). Errors are translated by `temporal-errors.ts`.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { compileSchedule, type CompiledSchedule, type WindowOptions } from '../temporal/compile';
import { equalityClause, scopeClause } from '../temporal/runs';
import { REFERENCE, SOLUTION } from '../temporal/search-attributes';
import {
  isConflict,
  ScheduleNotFoundError,
  ScheduleWriteConflictError,
  translateTemporalError,
  translating,
} from '../temporal/temporal-errors';
import { MAX_WRITE_ATTEMPTS } from '../temporal/schedule-gateway';
import { SerialWrites } from '../temporal/serial-writes';
import { pauseAfterLostWrite } from '../temporal/write-backoff';
import type {
  JobOutcome,
  WorkspaceRunInput,
  WorkspaceRunOptions,
  WorkspaceScheduleRecord,
} from './run-input';
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

/** One run of a workspace schedule as the APIs show it. */
export interface WorkspaceRunView {
  readonly workflow_id: string;
  readonly run_id: string;
  /** `Running`, `Succeeded`, `Errored` (a job failed), `Cancelled`, `Terminated`, `TimedOut`. */
  readonly state: string;
  readonly started_at: string;
  readonly closed_at: string | null;
  /** Every job's outcome so far, as the run published it. */
  readonly jobs: JobOutcome[];
}

const RUN_STATES: Readonly<Record<string, string>> = {
  RUNNING: 'Running',
  COMPLETED: 'Succeeded',
  FAILED: 'Errored',
  CANCELLED: 'Cancelled',
  TERMINATED: 'Terminated',
  TIMED_OUT: 'TimedOut',
  CONTINUED_AS_NEW: 'Succeeded',
};

/** Workspace schedules on one Temporal namespace. */
export class WorkspaceGateway {
  private readonly serial = new SerialWrites();

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly window: WindowOptions = {},
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

  /** Moves a window-mode schedule's window past `after`; pauses a schedule with no further occurrence. */
  async rearm(scheduleId: string, after: Date): Promise<void> {
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

  /** The most recent runs of a key in a solution, newest first, with each job's outcome. */
  async listRuns(solution: string, key: string, limit: number): Promise<WorkspaceRunView[]> {
    const query = [equalityClause('WorkflowType', WORKSPACE_RUN_WORKFLOW), scopeClause(solution, key)]
      .filter(Boolean)
      .join(' AND ');
    return await translating('', async () => {
      const runs: WorkspaceRunView[] = [];
      for await (const run of this.client.workflow.list({ query })) {
        if (run.searchAttributes[SOLUTION.name]?.[0] !== solution) continue;
        if (run.searchAttributes[REFERENCE.name]?.[0] !== key) continue;
        runs.push({
          workflow_id: run.workflowId,
          run_id: run.runId,
          state: RUN_STATES[run.status.name] ?? run.status.name,
          started_at: run.startTime.toISOString(),
          closed_at: run.closeTime?.toISOString() ?? null,
          jobs: (run.memo as { jobs?: JobOutcome[] } | undefined)?.jobs ?? [],
        });
        if (runs.length >= limit) break;
      }
      return runs;
    });
  }

  private async writeRaw(
    scheduleId: string,
    change: (stored: StoredWorkspaceSchedule) =>
      | {
          input: WorkspaceScheduleRecord;
          spec?: temporal.api.schedule.v1.IScheduleSpec;
          state: temporal.api.schedule.v1.IScheduleState;
        }
      | undefined,
  ): Promise<StoredWorkspaceSchedule | undefined> {
    return await this.serial.run(scheduleId, async () => {
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const stored = await this.get(scheduleId);
        if (!stored) return undefined;
        const write = change(stored);
        if (!write) return stored;
        const revision = randomUUID();
        const raw = stored.description.raw.schedule ?? {};
        const input: WorkspaceScheduleRecord = { ...write.input, revision };
        const payloads = await encodeToPayloads(this.client.options.loadedDataConverter, input);
        try {
          await this.client.workflowService.updateSchedule({
            namespace: this.client.options.namespace,
            scheduleId,
            schedule: {
              ...raw,
              spec: write.spec ?? raw.spec,
              state: { ...raw.state, ...write.state },
              action: {
                ...raw.action,
                startWorkflow: { ...raw.action?.startWorkflow, input: { payloads: payloads ?? [] } },
              },
            },
            conflictToken: stored.description.raw.conflictToken,
            identity: this.client.options.identity,
            requestId: randomUUID(),
          });
        } catch (err) {
          if (isConflict(err)) {
            await pauseAfterLostWrite(attempt);
            continue;
          }
          const translated = translateTemporalError(err, scheduleId);
          if (translated instanceof ScheduleNotFoundError) return undefined;
          throw translated;
        }
        const after = await this.get(scheduleId);
        if (!after) return undefined;
        if (after.input.revision === revision) return after;
        await pauseAfterLostWrite(attempt);
      }
      throw new ScheduleWriteConflictError(scheduleId, MAX_WRITE_ATTEMPTS);
    });
  }
}
