/**
 * The Scheduler connector (FEATURES.md A2, A5, A7-A10): the Scheduler trigger's provision / deprovision and the
 * Create / Update / Delete Schedule actions, plus get, list, pause, resume and trigger. The client API, the
 * HTTP API and the CLI are thin layers over this one class; every call is scoped to one solution.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { RunbookCatalog } from '../catalog/catalog';
import { RunbookSchema, TriggerTemplate, type Runbook } from '../catalog/model';
import type { JsonObject } from '../dispatch/payload';
import { formatUtcSeconds } from '../dispatch/payload';
import { validateRecurrence, type Recurrence } from '../recurrence';
import {
  DEFAULT_DISPATCH_RETRY,
  ScheduleKind,
  type DispatchRetryPolicy,
  type ScheduleMemo,
  type ScheduledRunInput,
} from '../temporal/run-input';
import {
  newGeneration,
  scheduleIdFor,
  ScheduleAlreadyExistsError,
  type ScheduleGateway,
  type StoredSchedule,
} from '../temporal/schedules';
import type { RunView } from '../temporal/runs';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';
import {
  CreateScheduleInputSchema,
  issueMessages,
  ListRunsInputSchema,
  RequestBodySchema,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
} from './inputs';

/** Create Schedule's output (FEATURES.md A7). */
export interface CreateScheduleOutput {
  readonly schedule_reference: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, or null when the schedule will never fire. */
  readonly next_occurrence_at: string | null;
  /** Why `next_occurrence_at` is null. */
  readonly next_occurrence_errors: string | null;
}

/** A schedule as callers see it. */
export interface ScheduleView {
  readonly schedule_reference: string;
  readonly runbook_uuid: string;
  readonly kind: ScheduleKind;
  readonly schedule: Recurrence;
  readonly request_body: JsonObject | null;
  /** True when paused: by `disabled`, by an operator (also in the Temporal UI), or by itself (no occurrence). */
  readonly paused: boolean;
  /** The schedule's note: why it is paused, or its next occurrence. */
  readonly note: string | null;
  /** The next instants Temporal will fire, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly next_action_times: string[];
  /** The last dispatch failure, `<triggered_at> Runbook execution failed with status <status>`. */
  readonly last_error: string | null;
  readonly generation: string;
  readonly temporal_schedule_id: string;
}

/** Dependencies of {@link SchedulerService}. */
export interface SchedulerServiceDeps {
  readonly catalog: RunbookCatalog;
  readonly gateway: ScheduleGateway;
  /** The clock. @default `() => new Date()` */
  readonly now?: () => Date;
  readonly defaultTimeZone?: string;
  readonly retry?: DispatchRetryPolicy;
}

/** The connector's operations, each scoped to one solution. */
export class SchedulerService {
  private readonly now: () => Date;

  constructor(private readonly deps: SchedulerServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Create Schedule (FEATURES.md A7): a schedule for a Dynamic Scheduler runbook of the solution.
   * @throws {@link ScheduleActionError} with the exact messages of A7.
   */
  async createSchedule(solution: string, rawInput: unknown): Promise<CreateScheduleOutput> {
    const parsed = CreateScheduleInputSchema.safeParse(rawInput);
    if (!parsed.success) {
      throw new ScheduleActionError(
        Messages.createInvalid(issueMessages(parsed.error)),
        ActionErrorCode.Invalid,
      );
    }
    const input = parsed.data;
    const runbook = await this.deps.catalog.get(solution, input.runbook_uuid);
    if (!runbook) throw new ScheduleActionError(Messages.noRunbook, ActionErrorCode.NotFound);
    if (runbook.trigger.template !== TriggerTemplate.DynamicScheduler) {
      throw new ScheduleActionError(
        Messages.templateNotSupported(runbook.trigger.template),
        ActionErrorCode.Unsupported,
      );
    }
    const now = this.now();
    const recurrence = this.validate(input.schedule, now, (messages) => Messages.createInvalid(messages));
    const run = this.runInput(
      solution,
      input.schedule_reference,
      runbook,
      recurrence,
      input.request_body,
      now,
    );
    try {
      const compiled = await this.deps.gateway.create(run, memoOf(run, now), now);
      return {
        schedule_reference: input.schedule_reference,
        next_occurrence_at: compiled.nextOccurrenceAt ? formatUtcSeconds(compiled.nextOccurrenceAt) : null,
        next_occurrence_errors: compiled.reason,
      };
    } catch (err) {
      if (err instanceof ScheduleAlreadyExistsError) {
        throw new ScheduleActionError(
          Messages.createInvalid([Messages.referenceNotUnique]),
          ActionErrorCode.Conflict,
          [],
          input.schedule_reference,
        );
      }
      throw err;
    }
  }

  /**
   * Update Schedule (FEATURES.md A8): a full replacement of the recurrence; `disabled` pauses and resumes.
   * @throws {@link ScheduleActionError} `Failed to update schedule: Schedule not found` or
   * `Failed to update schedule: Schedule update failed` (validation messages in `details`).
   */
  async updateSchedule(solution: string, rawInput: unknown): Promise<{ success: true }> {
    const parsed = UpdateScheduleInputSchema.safeParse(rawInput);
    if (!parsed.success) {
      throw new ScheduleActionError(
        Messages.updateFailed,
        ActionErrorCode.Invalid,
        issueMessages(parsed.error),
      );
    }
    const { schedule_reference: reference, schedule } = parsed.data;
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    if (!stored || stored.memo.solution !== solution) {
      throw new ScheduleActionError(Messages.updateNotFound, ActionErrorCode.NotFound, [], reference);
    }
    const validation = validateRecurrence(schedule, this.recurrenceOptions(this.now()));
    if (!validation.success) {
      throw new ScheduleActionError(
        Messages.updateFailed,
        ActionErrorCode.Invalid,
        validation.messages,
        reference,
      );
    }
    try {
      await this.deps.gateway.replace({ ...stored.input, recurrence: validation.recurrence }, this.now());
    } catch (err) {
      // Deleted between the read above and the write.
      if (err instanceof ScheduleNotFoundError) {
        throw new ScheduleActionError(Messages.updateNotFound, ActionErrorCode.NotFound, [], reference);
      }
      throw err;
    }
    return { success: true };
  }

  /**
   * Delete Schedule (FEATURES.md A9): idempotent; unknown or deleted references succeed. The schedule never
   * fires again, and runs still dispatching (retrying, say) are cancelled, so nothing more is sent.
   */
  async deleteSchedule(solution: string, rawInput: unknown): Promise<{ success: true }> {
    const { schedule_reference: reference } = this.parseReference(rawInput);
    await this.deps.gateway.delete(scheduleIdFor(solution, reference));
    await this.deps.gateway.cancelRunningRuns(solution, reference);
    return { success: true };
  }

  /** The schedule of a reference, or undefined. */
  async getSchedule(solution: string, rawInput: unknown): Promise<ScheduleView | undefined> {
    const { schedule_reference: reference } = this.parseReference(rawInput);
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    return stored && stored.memo.solution === solution ? viewOf(stored) : undefined;
  }

  /** Every schedule of the solution. */
  async listSchedules(solution: string): Promise<ScheduleView[]> {
    const ids = await this.deps.gateway.listIds(solution);
    const views: ScheduleView[] = [];
    for (const id of ids) {
      const stored = await this.deps.gateway.get(id);
      if (stored && stored.memo.solution === solution) views.push(viewOf(stored));
    }
    return views.sort((a, b) => a.schedule_reference.localeCompare(b.schedule_reference));
  }

  /**
   * The most recent runs of a reference, newest first: also after Delete Schedule and across generations, so
   * past runs stay inspectable (FEATURES.md A9). Only the solution's own runs are ever returned.
   * @throws {@link ScheduleActionError} naming the field when the input is invalid.
   */
  async listRuns(solution: string, rawInput: unknown): Promise<{ runs: RunView[] }> {
    const parsed = ListRunsInputSchema.safeParse(rawInput);
    if (!parsed.success) {
      const messages = issueMessages(parsed.error);
      throw new ScheduleActionError(messages.join('; '), ActionErrorCode.Invalid, messages);
    }
    const { schedule_reference: reference, limit } = parsed.data;
    return { runs: await this.deps.gateway.listRuns(solution, reference, limit) };
  }

  /** Pauses a schedule (operator pause; `disabled` in the stored rule is unchanged). */
  async pauseSchedule(solution: string, rawInput: unknown): Promise<{ success: true }> {
    const stored = await this.require(solution, rawInput);
    await this.deps.gateway.pause(stored.scheduleId);
    return { success: true };
  }

  /** Resumes a paused schedule. */
  async resumeSchedule(solution: string, rawInput: unknown): Promise<{ success: true }> {
    const stored = await this.require(solution, rawInput);
    await this.deps.gateway.resume(stored.scheduleId);
    return { success: true };
  }

  /** Fires a schedule now, outside its cadence. */
  async triggerSchedule(solution: string, rawInput: unknown): Promise<{ success: true }> {
    const stored = await this.require(solution, rawInput);
    await this.deps.gateway.trigger(stored.scheduleId);
    return { success: true };
  }

  /**
   * Adds or replaces a runbook in the catalog; a Scheduler trigger is provisioned (FEATURES.md A2), and on any
   * failure nothing is left half-made: no schedule, no catalog change. A replaced runbook's schedule is deleted
   * only once the new deployment is in place, so a failed re-deployment keeps the previous one running.
   * @throws {@link ScheduleActionError} `Failed to register schedule: <error>`.
   */
  async registerRunbook(rawRunbook: unknown): Promise<Runbook> {
    const parsed = RunbookSchema.safeParse(rawRunbook);
    if (!parsed.success) {
      throw new ScheduleActionError(
        Messages.registerFailed(issueMessages(parsed.error).join('; ')),
        ActionErrorCode.Invalid,
        issueMessages(parsed.error),
      );
    }
    const runbook = parsed.data;
    const previous = await this.deps.catalog.get(runbook.solution, runbook.uuid);
    if (runbook.trigger.template !== TriggerTemplate.Scheduler) {
      await this.deps.catalog.put(runbook);
      if (previous) await this.deleteTriggerSchedule(previous);
      if (previous && runbook.trigger.template === TriggerTemplate.DynamicScheduler) {
        await this.retargetSchedules(runbook, runbook.trigger.job_context_identifier_path);
      }
      return runbook;
    }
    const trigger = runbook.trigger;
    const now = this.now();
    const validation = validateRecurrence(trigger.schedule, this.recurrenceOptions(now));
    // The catalog's schema knows no size limit; the dispatched body does (FEATURES.md A3), as in Create Schedule.
    const body = RequestBodySchema.optional().safeParse(trigger.request_body);
    if (!validation.success || !body.success) {
      const messages = [
        ...(validation.success ? [] : validation.messages),
        ...(body.success ? [] : issueMessages(body.error)),
      ];
      throw new ScheduleActionError(
        Messages.registerFailed(messages.join('; ')),
        ActionErrorCode.Invalid,
        messages,
      );
    }
    const reference = randomUUID();
    const run = this.runInput(
      runbook.solution,
      reference,
      runbook,
      validation.recurrence,
      trigger.request_body,
      now,
    );
    const provisioned: Runbook = { ...runbook, trigger: { ...trigger, schedule_reference: reference } };
    try {
      await this.deps.gateway.create(run, memoOf(run, now), now);
    } catch (err) {
      throw new ScheduleActionError(Messages.registerFailed(errorText(err)), ActionErrorCode.Invalid);
    }
    try {
      await this.deps.catalog.put(provisioned);
    } catch (err) {
      await this.deps.gateway.delete(run.scheduleId);
      throw new ScheduleActionError(Messages.registerFailed(errorText(err)), ActionErrorCode.Invalid);
    }
    if (previous) await this.deleteTriggerSchedule(previous);
    return provisioned;
  }

  /** Removes a runbook; its Scheduler trigger's schedule is deleted (a silent no-op without a reference). */
  async removeRunbook(solution: string, uuid: string): Promise<boolean> {
    const runbook = await this.deps.catalog.get(solution, uuid);
    if (!runbook) return false;
    await this.deprovision(runbook);
    return await this.deps.catalog.remove(solution, uuid);
  }

  /** Runbooks of the solution. */
  async listRunbooks(solution: string): Promise<Runbook[]> {
    return await this.deps.catalog.list(solution);
  }

  /** Deprovisions a Scheduler trigger: deletes its schedule; without a stored reference, a silent no-op. */
  async deprovision(runbook: Runbook): Promise<void> {
    if (runbook.trigger.template !== TriggerTemplate.Scheduler) return;
    if (!(await this.deleteTriggerSchedule(runbook))) return;
    const { schedule_reference: _dropped, ...trigger } = runbook.trigger;
    await this.deps.catalog.put({ ...runbook, trigger });
  }

  /**
   * Points the schedules of a re-registered Dynamic Scheduler runbook at its new target and job context path:
   * a schedule fires the runbook as it is now, not as it was when the schedule was created. Rule, generation
   * and pause state are kept. Found through visibility, so a schedule created a moment ago may be missed.
   */
  private async retargetSchedules(runbook: Runbook, path: string | undefined): Promise<void> {
    for (const id of await this.deps.gateway.listIds(runbook.solution)) {
      const stored = await this.deps.gateway.get(id);
      if (!stored || stored.memo.solution !== runbook.solution || stored.memo.runbookUuid !== runbook.uuid)
        continue;
      const { jobContextIdentifierPath: _old, ...rest } = stored.input;
      const next: ScheduledRunInput = {
        ...rest,
        target: runbook.target,
        ...(path ? { jobContextIdentifierPath: path } : {}),
      };
      const sameTarget = JSON.stringify(stored.input.target) === JSON.stringify(runbook.target);
      if (sameTarget && stored.input.jobContextIdentifierPath === path) continue;
      try {
        await this.deps.gateway.updateRunInput(next);
      } catch (err) {
        // Deleted meanwhile: nothing to point anywhere.
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
  }

  /** Deletes the schedule a Scheduler trigger owns; false when the runbook stores no reference. */
  private async deleteTriggerSchedule(runbook: Runbook): Promise<boolean> {
    if (runbook.trigger.template !== TriggerTemplate.Scheduler) return false;
    const reference = runbook.trigger.schedule_reference;
    if (!reference) return false;
    await this.deps.gateway.delete(scheduleIdFor(runbook.solution, reference));
    return true;
  }

  private recurrenceOptions(now: Date) {
    return { now, ...(this.deps.defaultTimeZone ? { defaultTimeZone: this.deps.defaultTimeZone } : {}) };
  }

  private validate(schedule: unknown, now: Date, message: (messages: string[]) => string): Recurrence {
    const validation = validateRecurrence(schedule, this.recurrenceOptions(now));
    if (!validation.success) {
      throw new ScheduleActionError(
        message(validation.messages),
        ActionErrorCode.Invalid,
        validation.messages,
      );
    }
    return validation.recurrence;
  }

  private parseReference(rawInput: unknown) {
    const parsed = ScheduleReferenceInputSchema.safeParse(rawInput);
    if (!parsed.success) {
      const messages = issueMessages(parsed.error);
      throw new ScheduleActionError(messages.join('; '), ActionErrorCode.Invalid, messages);
    }
    return parsed.data;
  }

  private async require(solution: string, rawInput: unknown): Promise<StoredSchedule> {
    const { schedule_reference: reference } = this.parseReference(rawInput);
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    if (!stored || stored.memo.solution !== solution) {
      throw new ScheduleActionError('Schedule not found', ActionErrorCode.NotFound, [], reference);
    }
    return stored;
  }

  private runInput(
    solution: string,
    reference: string,
    runbook: Runbook,
    recurrence: Recurrence,
    requestBody: JsonObject | undefined,
    now: Date,
  ): ScheduledRunInput {
    const trigger = runbook.trigger;
    return {
      scheduleId: scheduleIdFor(solution, reference),
      kind: trigger.template === TriggerTemplate.Scheduler ? ScheduleKind.Scheduler : ScheduleKind.Dynamic,
      solution,
      reference,
      runbookUuid: runbook.uuid,
      generation: newGeneration(now),
      recurrence,
      ...(requestBody ? { requestBody } : {}),
      target: runbook.target,
      ...(trigger.template === TriggerTemplate.DynamicScheduler && trigger.job_context_identifier_path
        ? { jobContextIdentifierPath: trigger.job_context_identifier_path }
        : {}),
      retry: this.deps.retry ?? DEFAULT_DISPATCH_RETRY,
    };
  }
}

function memoOf(run: ScheduledRunInput, now: Date): ScheduleMemo {
  return {
    product: 'runbook-scheduler',
    kind: run.kind,
    solution: run.solution,
    reference: run.reference,
    runbookUuid: run.runbookUuid,
    generation: run.generation,
    createdAt: now.toISOString(),
  };
}

function viewOf(stored: StoredSchedule): ScheduleView {
  return {
    schedule_reference: stored.memo.reference,
    runbook_uuid: stored.memo.runbookUuid,
    kind: stored.memo.kind,
    schedule: { ...stored.input.recurrence, disabled: stored.input.recurrence.disabled || stored.paused },
    request_body: stored.input.requestBody ?? null,
    paused: stored.paused,
    note: stored.note ?? null,
    next_action_times: stored.nextActionTimes.map(formatUtcSeconds),
    last_error: stored.lastError ?? null,
    generation: stored.memo.generation,
    temporal_schedule_id: stored.scheduleId,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
