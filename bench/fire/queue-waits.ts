/**
 * How long a mode's tasks waited for its worker (issue 13, point 2), read from outside in the runs' histories:
 * a workflow task from scheduled to started, an activity task from scheduled to started (the attempt that
 * completed), over a sample of the runs of the mode's task queue.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pool } from './modes';
import { quantile } from './receiver';

const EventType = temporal.api.enums.v1.EventType;

/** Waits in seconds, p50 / p99 / max, and how many were read. */
export interface WaitFigures {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The worker's queue waits over the sampled runs. */
export interface QueueWaits {
  readonly runs: number;
  readonly workflowTask: WaitFigures;
  /** The first workflow task of each run only (its start's pick-up). */
  readonly firstWorkflowTask: WaitFigures;
  readonly activityTask: WaitFigures;
}

const millis = (ts: temporal.api.history.v1.IHistoryEvent['eventTime']): number =>
  Number(ts?.seconds ?? 0) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);

function figures(waitsMs: number[]): WaitFigures {
  const sorted = waitsMs.map((ms) => ms / 1000).sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: quantile(sorted, 1),
  };
}

/**
 * Reads up to `sample` runs of `taskQueue` that began from `fromMs` to `toMs` (the measured window: not the runs
 * started while the mode was being stopped), evenly over the list, and measures their queue waits.
 */
export async function queueWaits(
  client: Client,
  taskQueue: string,
  fromMs: number,
  toMs: number,
  sample = 300,
): Promise<QueueWaits> {
  const ids: { workflowId: string; runId: string }[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  // ExecutionTime, not StartTime: a run started ahead with a start delay (the limit's) begins at its instant.
  const clause = `TaskQueue = '${taskQueue}' AND ExecutionTime BETWEEN '${iso(fromMs)}' AND '${iso(toMs)}'`;
  for await (const info of client.workflow.list({ query: clause }))
    ids.push({ workflowId: info.workflowId, runId: info.runId });
  const step = Math.max(1, ids.length / sample);
  const picked = Array.from({ length: Math.min(sample, ids.length) }, (_, i) => ids[Math.floor(i * step)]!);
  const workflowWaits: number[] = [];
  const firstWaits: number[] = [];
  const activityWaits: number[] = [];
  await pool(picked, 8, async ({ workflowId, runId }) => {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const scheduledAt = new Map<number, number>();
    let firstSeen = false;
    for (const event of history.events ?? []) {
      const id = Number(event.eventId ?? 0);
      const at = millis(event.eventTime);
      if (
        event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED ||
        event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
      ) {
        scheduledAt.set(id, at);
      } else if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        const from = scheduledAt.get(
          Number(event.workflowTaskStartedEventAttributes?.scheduledEventId ?? -1),
        );
        if (from !== undefined) {
          if (!firstSeen) firstWaits.push(at - from);
          firstSeen = true;
          workflowWaits.push(at - from);
        }
      } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        const from = scheduledAt.get(
          Number(event.activityTaskStartedEventAttributes?.scheduledEventId ?? -1),
        );
        if (from !== undefined) activityWaits.push(at - from);
      }
    }
  });
  return {
    runs: picked.length,
    workflowTask: figures(workflowWaits),
    firstWorkflowTask: figures(firstWaits),
    activityTask: figures(activityWaits),
  };
}
