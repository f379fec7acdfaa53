/**
 * Abort an occurrence (FEATURES.md B6, and Stop's abort of the queued instance, B1): the instant is excluded from
 * the schedule's spec, so Temporal never fires it (a recurring schedule's next occurrence becomes the queued
 * one), then its abort record is started (`abort-record.ts`), tagged `RunbookInstanceStatus = "Aborted"`.
 * Idempotent: aborting an aborted occurrence again answers its existing record.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { formatUtcSeconds } from '../dispatch/payload';
import type { StoredSchedule, TemporalScheduleGateway } from '../temporal/schedule-gateway';
import { searchAttributesOf } from '../temporal/schedule-options';
import { INSTANCE_STATUS } from '../temporal/search-attributes';
import { ScheduleNotFoundError } from '../temporal/temporal-errors';
import {
  abortRecordMemo,
  ABORTED_OCCURRENCE_WORKFLOW,
  occurrenceWorkflowId,
  type AbortRecord,
} from './abort-record';
import { OccurrenceAlreadyStartedError } from './errors';
import { excludedInstants } from './exclusions';
import { queuedOccurrence } from './occurrences';
import { InstanceStatus } from './status';

export { AbortReasons, type AbortRecord } from './abort-record';

/** What aborting needs: a client, the gateway (to exclude the instant) and the product's task queue. */
export interface AbortDeps {
  readonly client: Client;
  readonly gateway: Pick<TemporalScheduleGateway, 'get' | 'excludeOccurrence'>;
  /** The task queue of the product's worker, where the abort record runs. */
  readonly taskQueue: string;
}

/** One abort: which occurrence of which schedule, why, by whom, when. */
export interface AbortOccurrenceRequest {
  readonly scheduleId: string;
  readonly occurrence: Date;
  /** E.g. `AbortReasons.byUser(user)` or `AbortReasons.byStop(user)`. */
  readonly reason: string;
  readonly user: string;
  readonly now: Date;
}

/**
 * Records `occurrence` of the schedule `Aborted`: it never fires, and its record holds the reason and the user.
 * @returns the record (the existing one when the occurrence was aborted already).
 * @throws {@link ScheduleNotFoundError} when the schedule does not exist.
 * @throws {@link OccurrenceAlreadyStartedError} when the occurrence has a run already.
 */
export async function abortOccurrence(
  deps: AbortDeps,
  request: AbortOccurrenceRequest,
): Promise<AbortRecord> {
  const stored = await deps.gateway.get(request.scheduleId);
  if (!stored) throw new ScheduleNotFoundError(request.scheduleId);
  // Excluded first: once the record exists the instance reads Aborted, and it must not fire after that.
  const excluded = await deps.gateway.excludeOccurrence(request.scheduleId, request.occurrence, request.now);
  if (!excluded) throw new ScheduleNotFoundError(request.scheduleId);
  const record: AbortRecord = {
    scheduleId: stored.scheduleId,
    solution: stored.memo.solution,
    reference: stored.memo.reference,
    runbookUuid: stored.memo.runbookUuid,
    generation: stored.memo.generation,
    occurrence: formatUtcSeconds(request.occurrence),
    reason: request.reason,
    user: request.user,
    abortedAt: request.now.toISOString(),
  };
  const workflowId = occurrenceWorkflowId(stored.scheduleId, stored.memo.generation, request.occurrence);
  try {
    await deps.client.workflow.start(ABORTED_OCCURRENCE_WORKFLOW, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [record],
      // A run of this occurrence (it fired meanwhile) or an earlier record keeps the id.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        ...searchAttributesOf(stored.input),
        { key: INSTANCE_STATUS, value: InstanceStatus.Aborted },
      ],
      memo: abortRecordMemo(record),
      staticSummary: `${record.reason} (occurrence ${record.occurrence} of schedule "${record.reference}")`,
    });
    return record;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return await existingRecord(deps.client, workflowId);
  }
}

async function existingRecord(client: Client, workflowId: string): Promise<AbortRecord> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  if (description.type !== ABORTED_OCCURRENCE_WORKFLOW) throw new OccurrenceAlreadyStartedError(workflowId);
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return await decodeFromPayloadsAtIndex<AbortRecord>(
    client.options.loadedDataConverter,
    0,
    started?.input?.payloads ?? [],
  );
}

/** The occurrence a schedule has queued now: its next one that is not aborted, or null. */
export function queuedOccurrenceOf(stored: StoredSchedule, now: Date): Date | null {
  return queuedOccurrence(
    stored.input.recurrence,
    now,
    excludedInstants(stored.description.raw.schedule?.spec),
  );
}

/**
 * Aborts the instance a schedule has queued (Stop calls this with `AbortReasons.byStop(user)`).
 * @returns its record, or undefined when the schedule has no further occurrence.
 * @throws {@link ScheduleNotFoundError} when the schedule does not exist.
 */
export async function abortQueuedOccurrence(
  deps: AbortDeps,
  request: Omit<AbortOccurrenceRequest, 'occurrence'>,
): Promise<AbortRecord | undefined> {
  const stored = await deps.gateway.get(request.scheduleId);
  if (!stored) throw new ScheduleNotFoundError(request.scheduleId);
  const occurrence = queuedOccurrenceOf(stored, request.now);
  if (occurrence === null) return undefined;
  return await abortOccurrence(deps, { ...request, occurrence });
}
