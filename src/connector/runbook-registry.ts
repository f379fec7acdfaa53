/**
 * The runbook registry: adds, replaces and removes runbooks in the catalog, and provisions and deprovisions
 * their Scheduler triggers (FEATURES.md A2). On any failure nothing is left half-made: no schedule without its
 * catalog entry, no catalog change without its schedule.
 */
import { randomUUID } from 'node:crypto';
import type { RunbookCatalog } from '../catalog/catalog';
import { RunbookSchema, TriggerTemplate, type Runbook } from '../catalog/model';
import type { DispatchRetryPolicy } from '../config';
import { UnavailableError } from '../errors';
import type { ScheduleGateway } from '../temporal/schedule-gateway';
import { scheduleIdFor } from '../temporal/schedule-ids';
import { scheduleMemo } from '../temporal/schedule-options';
import { ScheduleNotFoundError } from '../temporal/temporal-errors';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';
import { issueMessages, RequestBodySchema } from './inputs';
import { parseInput, recurrenceOptions } from './parse';
import { buildRunInput, retargetedRunInput } from './run-inputs';
import { validateRecurrence } from '../recurrence';

/** Dependencies of {@link RunbookRegistry}. */
export interface RunbookRegistryDeps {
  readonly catalog: RunbookCatalog;
  readonly gateway: ScheduleGateway;
  /** The clock. */
  readonly now: () => Date;
  readonly defaultTimeZone?: string;
  readonly retry: DispatchRetryPolicy;
}

/** Runbooks and their triggers, each scoped to one solution. */
export class RunbookRegistry {
  constructor(private readonly deps: RunbookRegistryDeps) {}

  /**
   * Adds or replaces a runbook in the catalog; a Scheduler trigger is provisioned (FEATURES.md A2), and on any
   * failure nothing is left half-made: no schedule, no catalog change. A replaced runbook's schedule is deleted
   * only once the new deployment is in place, so a failed re-deployment keeps the previous one running.
   * @throws {@link ScheduleActionError} `Failed to register schedule: <error>` for an invalid runbook.
   * @throws {@link UnavailableError} when Temporal or the catalog is unavailable; nothing was changed.
   */
  async registerRunbook(rawRunbook: unknown): Promise<Runbook> {
    const runbook = parseInput(RunbookSchema, rawRunbook, (messages) =>
      Messages.registerFailed(messages.join('; ')),
    );
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
    const now = this.deps.now();
    const validation = validateRecurrence(
      trigger.schedule,
      recurrenceOptions(now, this.deps.defaultTimeZone),
    );
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
    const run = buildRunInput({
      solution: runbook.solution,
      reference,
      runbook,
      recurrence: validation.recurrence,
      requestBody: trigger.request_body,
      retry: this.deps.retry,
      now,
    });
    const provisioned: Runbook = { ...runbook, trigger: { ...trigger, schedule_reference: reference } };
    try {
      await this.deps.gateway.create(run, scheduleMemo(run, now), now);
    } catch (err) {
      throw registrationError(err);
    }
    try {
      await this.deps.catalog.put(provisioned);
    } catch (err) {
      await this.deps.gateway.delete(run.scheduleId);
      throw registrationError(err);
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
    for (const stored of await this.deps.gateway.listSchedules(runbook.solution)) {
      if (stored.memo.solution !== runbook.solution || stored.memo.runbookUuid !== runbook.uuid) continue;
      const next = retargetedRunInput(stored.input, runbook, path);
      if (!next) continue;
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
}

/** An outage stays an outage; anything else failed the registration itself. */
function registrationError(err: unknown): Error {
  if (err instanceof UnavailableError) return err;
  return new ScheduleActionError(
    Messages.registerFailed(err instanceof Error ? err.message : String(err)),
    ActionErrorCode.Invalid,
  );
}
