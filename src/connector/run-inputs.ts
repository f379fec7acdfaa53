/**
 * What a schedule's runs are given (pure): the run input of a runbook's schedule, built the same way for a
 * Scheduler trigger's schedule and for Create Schedule.
 */
import { TriggerTemplate, type Runbook } from '../catalog/model';
import type { DispatchRetryPolicy } from '../config';
import type { JsonObject } from '../dispatch/payload';
import type { Recurrence } from '../recurrence';
import { ScheduleKind, type ScheduledRunInput } from '../temporal/run-input';
import { newGeneration, scheduleIdFor } from '../temporal/schedule-ids';
import { defaultValues } from '../operations/parameters';

/** What {@link buildRunInput} needs. */
export interface RunInputParts {
  readonly solution: string;
  readonly reference: string;
  readonly runbook: Runbook;
  readonly recurrence: Recurrence;
  readonly requestBody: JsonObject | undefined;
  readonly retry: DispatchRetryPolicy;
  /** The creation instant: part of the new generation. */
  readonly now: Date;
  /** Who creates the schedule: its submitting user until a Start names another. @default none recorded */
  readonly submittedBy?: string;
}

/** The run input of a new schedule (a new generation) of a runbook. */
export function buildRunInput(parts: RunInputParts): ScheduledRunInput {
  const { solution, reference, runbook, recurrence, requestBody, retry, now } = parts;
  const trigger = runbook.trigger;
  const parameters = defaultValues(runbook.parameters);
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
    ...(runbook.business_identifiers?.length ? { businessIdentifierKeys: runbook.business_identifiers } : {}),
    retry,
    ...(parameters ? { parameters } : {}),
    ...(parts.submittedBy !== undefined ? { submittedBy: parts.submittedBy } : {}),
  };
}

/**
 * The run input of an existing schedule re-pointed at its runbook as registered now (target and job context
 * path); rule, generation and body are kept. Undefined when nothing would change.
 */
export function retargetedRunInput(
  current: ScheduledRunInput,
  runbook: Runbook,
  path: string | undefined,
): ScheduledRunInput | undefined {
  const sameTarget = JSON.stringify(current.target) === JSON.stringify(runbook.target);
  if (sameTarget && current.jobContextIdentifierPath === path) return undefined;
  const { jobContextIdentifierPath: _old, ...rest } = current;
  return { ...rest, target: runbook.target, ...(path ? { jobContextIdentifierPath: path } : {}) };
}
