/**
 * Workspace schedules (FEATURES.md C1-C4): add, edit, delete, activate and inactivate, run by hand (a whole
 * schedule, one job, a service), preview cadences, and the Jobs view. One implementation behind the client API,
 * the HTTP API and the CLI; every input is parsed with the schemas of `model.ts` before anything changes.
 * Changes need the `IntegrationAuthor` role; reading and manual runs need only the solution.
 */
import type { z } from 'zod';
import type { RunbookCatalog } from '../catalog/catalog';
import type { DispatchRetryPolicy } from '../config';
import { requireRole } from '../connector/authorize';
import { ActionErrorCode, ScheduleActionError } from '../connector/errors';
import { formatUtcSeconds } from '../dispatch/payload';
import { Role, type Principal } from '../principal';
import type { Recurrence } from '../recurrence';
import { newGeneration, escapeSolution } from '../temporal/schedule-ids';
import { ScheduleAlreadyExistsError, ScheduleNotFoundError } from '../temporal/temporal-errors';
import { cadenceOccurrences, cadenceText, compileCadence, sameCadence, type Cadence } from './cadence';
import { WorkspaceMessages } from './errors';
import type { WorkspaceGateway, WorkspaceRunView } from './gateway';
import { writeOrConflict } from './write-outcome';
import {
  CadencePreviewInputSchema,
  CreateWorkspaceScheduleInputSchema,
  FeatureStatus,
  RunWorkspaceScheduleInputSchema,
  UpdateWorkspaceScheduleInputSchema,
  type JobInput,
} from './model';
import type { WorkspaceJob, WorkspaceRunInput, WorkspaceScheduleRecord } from './run-input';
import { workspaceScheduleId, type StoredWorkspaceSchedule } from './schedule-options';
import { jobsView, workspaceScheduleView, type JobsView, type WorkspaceScheduleView } from './views';

/** What the workspace service is built from. */
export interface WorkspaceDeps {
  readonly catalog: RunbookCatalog;
  readonly gateway: WorkspaceGateway;
  /** Dispatch retries fixed into each schedule's jobs. */
  readonly retry: DispatchRetryPolicy;
  /** The shortest period a cadence may have, in minutes. */
  readonly minPeriodMinutes: number;
  /** The clock. @default the system's */
  readonly now?: () => Date;
}

/** A key as the path or the command line gives it: a caller's key, or a managed `<integration>~<id>`. */
const KEY_PATTERN = /^[A-Za-z0-9._-]{1,100}(~[A-Za-z0-9._-]{1,100})?$/;

/** Parses `raw` with `schema`, or throws the invalid-input error with every message. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, message: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const messages = [...new Set(parsed.error.issues.map((issue) => issue.message))];
  throw new ScheduleActionError(message, ActionErrorCode.Invalid, messages);
}

/** The workspace schedules of the solutions their callers belong to. */
export class WorkspaceService {
  private readonly now: () => Date;

  constructor(readonly deps: WorkspaceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Compiles a cadence or throws the invalid-input error (the 15-minute floor included). */
  compile(cadence: unknown, now: Date): { cadence: Cadence; recurrence: Recurrence } {
    const result = compileCadence(cadence, { now, minPeriodMinutes: this.deps.minPeriodMinutes });
    if (!result.success) {
      throw new ScheduleActionError(WorkspaceMessages.invalid, ActionErrorCode.Invalid, result.messages);
    }
    return result;
  }

  /** The jobs with their runbooks' names and targets, or the messages of those the solution does not have. */
  async resolveJobs(
    solution: string,
    jobs: readonly JobInput[],
  ): Promise<{ jobs: WorkspaceJob[]; messages: string[] }> {
    const resolved: WorkspaceJob[] = [];
    const messages: string[] = [];
    for (const [i, job] of jobs.entries()) {
      const runbook = await this.deps.catalog.get(solution, job.runbook_uuid);
      if (!runbook) {
        messages.push(WorkspaceMessages.noRunbook(i + 1, job.runbook_uuid));
        continue;
      }
      resolved.push({
        name: runbook.name,
        runbookUuid: runbook.uuid,
        kind: job.kind,
        sequence: job.sequence,
        skipWait: job.skip_wait,
        target: runbook.target,
      });
    }
    return { jobs: resolved, messages };
  }

  private async jobsOrThrow(solution: string, jobs: readonly JobInput[]): Promise<WorkspaceJob[]> {
    const resolved = await this.resolveJobs(solution, jobs);
    if (resolved.messages.length > 0) {
      throw new ScheduleActionError(WorkspaceMessages.invalid, ActionErrorCode.Invalid, resolved.messages);
    }
    return resolved.jobs;
  }

  /** Add Schedule: a workspace (unmanaged) schedule, active from the start. */
  async create(principal: Principal, raw: unknown): Promise<WorkspaceScheduleView> {
    requireRole(principal, Role.IntegrationAuthor, 'add a workspace schedule');
    const input = parseInput(CreateWorkspaceScheduleInputSchema, raw, WorkspaceMessages.invalid);
    const now = this.now();
    const { cadence, recurrence } = this.compile(input.cadence, now);
    const jobs = await this.jobsOrThrow(principal.solution, input.jobs);
    const record: WorkspaceScheduleRecord = {
      scheduleId: workspaceScheduleId(principal.solution, input.key),
      solution: principal.solution,
      key: input.key,
      generation: newGeneration(now),
      description: input.description,
      cadence,
      recurrence,
      jobs,
      failurePolicy: input.failure_policy,
      active: true,
      managed: null,
      retry: this.deps.retry,
      ...(input.request_body ? { requestBody: input.request_body } : {}),
    };
    await this.createRecord(record, now);
    return await this.get(principal, input.key);
  }

  /** Creates a schedule from its record. @throws the conflict error when the key is taken. */
  async createRecord(record: WorkspaceScheduleRecord, now: Date): Promise<void> {
    try {
      await this.deps.gateway.create(record, now);
    } catch (err) {
      if (err instanceof ScheduleAlreadyExistsError) {
        throw new ScheduleActionError(WorkspaceMessages.keyTaken(record.key), ActionErrorCode.Conflict);
      }
      throw err;
    }
  }

  /** One schedule. @throws the not-found error. */
  async get(principal: Principal, key: string): Promise<WorkspaceScheduleView> {
    return workspaceScheduleView(await this.stored(principal.solution, key));
  }

  /** The stored schedule of a key in a solution. @throws the not-found error. */
  async stored(solution: string, key: string): Promise<StoredWorkspaceSchedule> {
    const stored = KEY_PATTERN.test(key)
      ? await this.deps.gateway.get(workspaceScheduleId(solution, key))
      : undefined;
    if (!stored || stored.memo.solution !== solution) {
      throw new ScheduleActionError(WorkspaceMessages.notFound(key), ActionErrorCode.NotFound);
    }
    return stored;
  }

  /**
   * Edit Schedule. A managed schedule takes only a cadence (a changed one is kept by later syncs, shown as
   * locally modified); its jobs, description, failure policy and request body are the integration's.
   */
  async update(principal: Principal, key: string, raw: unknown): Promise<WorkspaceScheduleView> {
    requireRole(principal, Role.IntegrationAuthor, 'edit a workspace schedule');
    const input = parseInput(UpdateWorkspaceScheduleInputSchema, raw, WorkspaceMessages.invalid);
    const stored = await this.stored(principal.solution, key);
    const managed = stored.input.managed;
    if (managed) {
      const fields: [unknown, string][] = [
        [input.jobs, 'jobs'],
        [input.description, 'description'],
        [input.failure_policy, 'failure policy'],
        [input.request_body, 'request body'],
      ];
      const refused = fields.find(([value]) => value !== undefined);
      if (refused) {
        throw new ScheduleActionError(
          WorkspaceMessages.managedField(key, managed.integration, refused[1]),
          ActionErrorCode.Conflict,
        );
      }
    }
    const now = this.now();
    const compiled = input.cadence === undefined ? undefined : this.compile(input.cadence, now);
    const jobs =
      input.jobs === undefined ? undefined : await this.jobsOrThrow(principal.solution, input.jobs);
    await this.writeOrNotFound(key, stored.scheduleId, now, (current) => ({
      ...current,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(compiled ? { cadence: compiled.cadence, recurrence: compiled.recurrence } : {}),
      ...(jobs ? { jobs } : {}),
      ...(input.failure_policy === undefined ? {} : { failurePolicy: input.failure_policy }),
      ...(input.request_body === undefined ? {} : { requestBody: input.request_body }),
      managed:
        current.managed && compiled
          ? { ...current.managed, locallyModified: !sameCadence(compiled.cadence, current.managed.cadence) }
          : current.managed,
    }));
    return await this.get(principal, key);
  }

  /** Resets a managed schedule's cadence to the integration's. */
  async resetCadence(principal: Principal, key: string): Promise<WorkspaceScheduleView> {
    requireRole(principal, Role.IntegrationAuthor, 'edit a workspace schedule');
    const stored = await this.stored(principal.solution, key);
    const managed = stored.input.managed;
    if (!managed) throw new ScheduleActionError(WorkspaceMessages.notManaged(key), ActionErrorCode.Conflict);
    const now = this.now();
    const { cadence, recurrence } = this.compile(managed.cadence, now);
    await this.writeOrNotFound(key, stored.scheduleId, now, (current) => ({
      ...current,
      cadence,
      recurrence,
      managed: current.managed ? { ...current.managed, locallyModified: false } : null,
    }));
    return await this.get(principal, key);
  }

  /** Deletes a schedule (a managed one comes back with the next sync). Idempotent. */
  async delete(principal: Principal, key: string): Promise<{ success: true }> {
    requireRole(principal, Role.IntegrationAuthor, 'delete a workspace schedule');
    if (KEY_PATTERN.test(key)) {
      const id = workspaceScheduleId(principal.solution, key);
      const stored = await this.deps.gateway.get(id);
      if (stored && stored.memo.solution === principal.solution) await this.deps.gateway.delete(id);
    }
    return { success: true };
  }

  /** Activates (`true`) or inactivates a schedule; refused for a schedule of an Active feature. */
  async setActive(principal: Principal, key: string, active: boolean): Promise<WorkspaceScheduleView> {
    requireRole(principal, Role.IntegrationAuthor, 'activate or inactivate a workspace schedule');
    const stored = await this.stored(principal.solution, key);
    const managed = stored.input.managed;
    if (managed?.featureStatus === FeatureStatus.Active) {
      throw new ScheduleActionError(
        WorkspaceMessages.followsFeature(key, managed.feature),
        ActionErrorCode.Conflict,
      );
    }
    await this.writeOrNotFound(
      key,
      stored.scheduleId,
      this.now(),
      (current) => ({ ...current, active }),
      active ? 'activate' : 'inactivate',
    );
    return await this.get(principal, key);
  }

  /** Runs the whole schedule now (through Temporal's trigger), or only the job at `job`. */
  async run(
    principal: Principal,
    key: string,
    raw: unknown,
  ): Promise<{ success: true; workflow_id: string | null }> {
    const input = parseInput(RunWorkspaceScheduleInputSchema, raw ?? {}, WorkspaceMessages.invalid);
    const stored = await this.stored(principal.solution, key);
    if (input.job === undefined) {
      try {
        await this.deps.gateway.trigger(stored.scheduleId);
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) {
          throw new ScheduleActionError(WorkspaceMessages.notFound(key), ActionErrorCode.NotFound);
        }
        throw err;
      }
      return { success: true, workflow_id: null };
    }
    const count = stored.input.jobs.length;
    if (input.job > count) {
      throw new ScheduleActionError(
        WorkspaceMessages.noSuchJob(key, input.job, count),
        ActionErrorCode.Invalid,
      );
    }
    const id = `${stored.scheduleId}:${stored.input.generation}:job-${input.job}:${formatUtcSeconds(this.now())}-${shortId()}`;
    const workflowId = await this.deps.gateway.startRun(stored.input, { only: input.job }, id);
    return { success: true, workflow_id: workflowId };
  }

  /** Runs a service (a runbook of the solution) by hand, as a one-job run. */
  async runService(
    principal: Principal,
    runbookUuid: string,
  ): Promise<{ success: true; workflow_id: string }> {
    const runbook = await this.deps.catalog.get(principal.solution, runbookUuid);
    if (!runbook)
      throw new ScheduleActionError(WorkspaceMessages.noService(runbookUuid), ActionErrorCode.NotFound);
    const now = this.now();
    const prefix = `rbw-service:${escapeSolution(principal.solution)}:${runbook.uuid}`;
    const input: WorkspaceRunInput = {
      scheduleId: prefix,
      solution: principal.solution,
      key: `service:${runbook.uuid}`,
      generation: newGeneration(now),
      jobs: [
        {
          name: runbook.name,
          runbookUuid: runbook.uuid,
          kind: 'service',
          sequence: 1,
          skipWait: false,
          target: runbook.target,
        },
      ],
      failurePolicy: 'stop',
      retry: this.deps.retry,
    };
    const workflowId = await this.deps.gateway.startRun(
      input,
      {},
      `${prefix}:${formatUtcSeconds(now)}-${shortId()}`,
    );
    return { success: true, workflow_id: workflowId };
  }

  /** The most recent runs of a schedule, newest first, each with its jobs' outcomes. */
  async runs(principal: Principal, key: string, limit = 20): Promise<{ runs: WorkspaceRunView[] }> {
    if (!KEY_PATTERN.test(key)) return { runs: [] };
    return {
      runs: await this.deps.gateway.listRuns(principal.solution, key, Math.max(1, Math.min(limit, 200))),
    };
  }

  /** The next occurrences of a cadence, before saving it (the floor applies). */
  previewCadence(raw: unknown): { cadence_text: string; occurrences: string[]; reason: string | null } {
    const input = parseInput(CadencePreviewInputSchema, raw, WorkspaceMessages.invalid);
    const now = this.now();
    const { cadence, recurrence } = this.compile(input.cadence, now);
    const after = input.after === undefined ? now : new Date(input.after);
    const { occurrences, reason } = cadenceOccurrences(recurrence, after, input.count);
    return { cadence_text: cadenceText(cadence), occurrences: occurrences.map(formatUtcSeconds), reason };
  }

  /** Every workspace schedule of the solution. */
  async list(principal: Principal): Promise<WorkspaceScheduleView[]> {
    return (await this.deps.gateway.list(principal.solution)).map(workspaceScheduleView);
  }

  /** The Jobs view: schedules by feature status and the unmanaged ones, and the services. */
  async jobs(principal: Principal): Promise<JobsView> {
    const [schedules, runbooks] = await Promise.all([
      this.deps.gateway.list(principal.solution),
      this.deps.catalog.list(principal.solution),
    ]);
    return jobsView(schedules, runbooks);
  }

  private async writeOrNotFound(
    key: string,
    scheduleId: string,
    now: Date,
    change: (current: WorkspaceScheduleRecord) => WorkspaceScheduleRecord,
    activation: 'activate' | 'inactivate' | 'keep' = 'keep',
  ): Promise<void> {
    const written = await writeOrConflict(key, () =>
      this.deps.gateway.write(scheduleId, (s) => ({ input: change(s.input), activation }), now),
    );
    if (!written) throw new ScheduleActionError(WorkspaceMessages.notFound(key), ActionErrorCode.NotFound);
  }
}

function shortId(): string {
  return globalThis.crypto.randomUUID().slice(0, 8);
}
