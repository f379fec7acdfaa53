/**
 * An instance's activity stream and payloads (FEATURES.md B7), assembled from what Temporal holds: the run's or
 * abort record's history (`activity-history.ts`) and, for an occurrence of the cadence, the schedule operations
 * completed while it was the queued one; mapped by the pure `activity-stream.ts`.
 */
import type { Client } from '@temporalio/client';
import { completedOperations, InstanceType } from '../temporal/run-input';
import type { StoredSchedule } from '../temporal/schedule-gateway';
import { readInstanceHistory, type InstanceHistory } from './activity-history';
import {
  activityStream,
  dispatchedRequest,
  runbookAnswer,
  type ActivityEntry,
  operationsInRun,
  type OperationWindow,
  type PayloadKind,
} from './activity-stream';
import type { InstanceView } from './list';
import { InstanceStatus } from './status';

/** An instance's activity stream. */
export interface ActivityStreamView {
  readonly instance_id: string;
  readonly status: string;
  readonly entries: ActivityEntry[];
}

const CADENCE: readonly string[] = [InstanceType.Scheduled, InstanceType.Once];

/** The occurrence of the cadence before `view` (by its instant) among `all`, if any. */
export function previousOccurrence(
  view: InstanceView,
  all: readonly InstanceView[],
): InstanceView | undefined {
  return all
    .filter((v) => v.instance_id !== view.instance_id && CADENCE.includes(v.type))
    .filter((v) => Date.parse(v.triggered_at) < Date.parse(view.triggered_at))
    .sort((a, b) => Date.parse(a.triggered_at) - Date.parse(b.triggered_at))
    .at(-1);
}

/**
 * The operations window of an occurrence of the cadence: from `previousLeftAt` (when the previous occurrence
 * stopped being the queued one: its run started or it was aborted; null for the first), up to when this one
 * stopped being queued. A run reads the operations its own input recorded (the schedule keeps only the latest,
 * and may be gone); a queued or aborted occurrence reads its schedule's. Undefined for instances outside the
 * cadence (Run now, resubmissions) and when nothing recorded operations.
 */
export function operationWindow(
  view: InstanceView,
  previousLeftAt: string | null,
  stored: StoredSchedule | undefined,
  history: InstanceHistory | undefined,
): OperationWindow | undefined {
  if (!CADENCE.includes(view.type)) return undefined;
  const operations =
    operationsInRun(history?.events ?? []) ?? (stored ? completedOperations(stored.input) : undefined);
  if (operations === undefined) return undefined;
  return {
    operations,
    after: previousLeftAt,
    until: view.started_at ?? history?.record?.abortedAt ?? null,
  };
}

/**
 * When `previous` stopped being the queued occurrence: its run's start, or when it was aborted (an abort record
 * lists no start; its instant may lie well after the abort, so its record is read).
 */
async function leftQueueAt(client: Client, previous: InstanceView | undefined): Promise<string | null> {
  if (previous === undefined) return null;
  if (previous.started_at !== null) return previous.started_at;
  const record =
    previous.status === InstanceStatus.Aborted
      ? await readInstanceHistory(client, previous.instance_id)
      : undefined;
  return record?.record?.abortedAt ?? previous.triggered_at;
}

/** The activity stream of `view`, one of `all` (the schedule's instances); `stored` its schedule if it exists. */
export async function instanceActivity(
  client: Client,
  view: InstanceView,
  all: readonly InstanceView[],
  stored: StoredSchedule | undefined,
): Promise<ActivityStreamView> {
  const recorded = view.started_at !== null || view.status === InstanceStatus.Aborted;
  const history = recorded ? await readInstanceHistory(client, view.instance_id) : undefined;
  const previousLeftAt = CADENCE.includes(view.type)
    ? await leftQueueAt(client, previousOccurrence(view, all))
    : null;
  const window = operationWindow(view, previousLeftAt, stored, history);
  return {
    instance_id: view.instance_id,
    status: view.status,
    entries: activityStream({
      events: history?.events ?? [],
      ...(history?.record ? { record: history.record } : {}),
      ...(window ? { window } : {}),
    }),
  };
}

/** The request `view` dispatched or the runbook's answer to it; undefined when it has none recorded. */
export async function instancePayload(
  client: Client,
  view: InstanceView,
  kind: PayloadKind,
): Promise<unknown> {
  if (view.started_at === null) return undefined;
  const history = await readInstanceHistory(client, view.instance_id);
  if (!history) return undefined;
  return kind === 'request' ? dispatchedRequest(history.events) : runbookAnswer(history.events);
}
