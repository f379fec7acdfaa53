/**
 * The runbook registry: adds, replaces and removes runbooks in the catalog, and provisions and deprovisions
 * their Scheduler triggers (FEATURES.md A2). On any failure nothing is left half-made: no schedule without its
 * catalog entry, no catalog change without its schedule.
 */
import { randomUUID } from 'node:crypto';
import { TriggerTemplate, type Runbook } from '../catalog/model';
import { UnavailableError } from '../errors';
import { scheduleIdFor } from '../temporal/schedule-ids';
import { scheduleMemo } from '../temporal/schedule-options';
import { ScheduleNotFoundError, ScheduleOverwrittenError } from '../temporal/temporal-errors';
import type { ConnectorDeps } from './deps';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';
import { RegisterRunbookInputSchema } from './inputs';
import { parseInput, parseRecurrence, recurrenceOptions } from './parse';
import { buildRunInput, retargetedRunInput } from './run-inputs';
import { targetRefusal } from './target-policy';
import { REDACTED_HEADER_VALUE } from '../dispatch/request';

/** Dependencies of {@link RunbookRegistry}. */
export type RunbookRegistryDeps = ConnectorDeps;

/** What a listing shows instead of a target header's value: header values are write-only. */
export const REDACTED = REDACTED_HEADER_VALUE;

/** A runbook as callers see it: its target's header values (a runbook's own credentials) redacted. */
export function redactRunbook(runbook: Runbook): Runbook {
  const target = runbook.target;
  if (target.kind !== 'http' || !target.headers) return runbook;
  const headers = Object.fromEntries(Object.keys(target.headers).map((name) => [name, REDACTED]));
  return { ...runbook, target: { ...target, headers } };
}

/** Runbooks and their triggers, each scoped to one solution. */
export class RunbookRegistry {
  constructor(private readonly deps: RunbookRegistryDeps) {}

  /**
   * Adds or replaces a runbook in the catalog; a Scheduler trigger is provisioned (FEATURES.md A2), and on any
   * failure nothing is left half-made: no schedule, no catalog change. A replaced runbook's schedule is deleted
   * only once the new deployment is in place, so a failed re-deployment keeps the previous one running.
   * Concurrent registrations of one runbook leave exactly one schedule: the catalog's put returns what it
   * replaced, atomically, and the schedule of whatever was replaced is deleted.
   * @returns the runbook as stored, its header values redacted.
   * @throws {@link ScheduleActionError} `Failed to register schedule: <error>` for an invalid runbook or a target
   *   the policy refuses; code `quota_exceeded` when the solution is at its schedule quota.
   * @throws {@link UnavailableError} when Temporal or the catalog is unavailable; nothing was changed.
   */
  async registerRunbook(rawRunbook: unknown): Promise<Runbook> {
    // Every tenant-sent field bounded (the body's size and depth included); the product sets the reference.
    const runbook: Runbook = parseInput(RegisterRunbookInputSchema, rawRunbook, (messages) =>
      Messages.registerFailed(messages.join('; ')),
    );
    const refusal = targetRefusal(runbook.solution, runbook.target, this.deps.targets);
    if (refusal) {
      throw new ScheduleActionError(Messages.registerFailed(refusal), ActionErrorCode.Invalid, [refusal]);
    }
    if (runbook.trigger.template !== TriggerTemplate.Scheduler) {
      const replaced = await this.deps.catalog.put(runbook);
      if (replaced) await this.deleteTriggerSchedule(replaced);
      if (replaced && runbook.trigger.template === TriggerTemplate.DynamicScheduler) {
        await this.retargetSchedules(runbook, runbook.trigger.job_context_identifier_path);
      }
      return redactRunbook(runbook);
    }
    const trigger = runbook.trigger;
    const now = this.deps.now();
    const recurrence = parseRecurrence(
      trigger.schedule,
      recurrenceOptions(now, this.deps.defaultTimeZone),
      (messages) => Messages.registerFailed(messages.join('; ')),
    );
    await this.deps.quota.check(runbook.solution, (sentence) => Messages.registerFailed(sentence));
    const reference = randomUUID();
    const run = buildRunInput({
      solution: runbook.solution,
      reference,
      runbook,
      recurrence,
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
    this.deps.quota.created(runbook.solution);
    let replaced: Runbook | undefined;
    try {
      replaced = await this.deps.catalog.put(provisioned);
    } catch (err) {
      await this.deps.gateway.delete(run.scheduleId);
      throw registrationError(err);
    }
    // Whatever this put replaced (the previous registration, or a concurrent one that put first) is superseded.
    if (replaced) await this.deleteTriggerSchedule(replaced);
    return redactRunbook(provisioned);
  }

  /** Removes a runbook; its Scheduler trigger's schedule is deleted (a silent no-op without a reference). */
  async removeRunbook(solution: string, uuid: string): Promise<boolean> {
    const runbook = await this.deps.catalog.get(solution, uuid);
    if (!runbook) return false;
    await this.deprovision(runbook);
    return await this.deps.catalog.remove(solution, uuid);
  }

  /** Runbooks of the solution, their header values redacted. */
  async listRunbooks(solution: string): Promise<Runbook[]> {
    return (await this.deps.catalog.list(solution)).map(redactRunbook);
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
        // Deleted meanwhile: nothing to point anywhere. Paused as unrestorable (`ScheduleOverwrittenError`): its
        // note tells the operator to re-create it, which takes the runbook as it is then.
        if (!(err instanceof ScheduleNotFoundError || err instanceof ScheduleOverwrittenError)) throw err;
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
