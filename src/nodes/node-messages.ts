/**
 * The node workflow's messages, shared by the client side (`node-gateway.ts`) and the workflow
 * (`workflows/schedule-node.ts`): the updates the schedule service sends and the query that reads the node.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DispatchRetryPolicy } from '../config';
import type { NodeCommand, NodeRunRequest, NodeState, NodeStateView, ScheduleOutcome } from './node-state';

/** `schedule`: keep the run if it is the earliest (answers what it scheduled, or nothing). */
export const scheduleNodeRunUpdate = defineUpdate<ScheduleOutcome, [NodeRunRequest]>('scheduleNodeRun');
/** `cancel`: remove the pending run, if any. */
export const cancelNodeRunUpdate = defineUpdate<{ cancelled: boolean }, [NodeCommand]>('cancelNodeRun');
/** Clear the node's error members. */
export const clearNodeErrorUpdate = defineUpdate<{ cleared: boolean }, [NodeCommand]>('clearNodeError');
/** The node was deleted: cancel its pending run, refuse its generation. */
export const deleteNodeUpdate = defineUpdate<{ cancelled: boolean }, [NodeCommand]>('deleteNode');
/** The pending run (time, runbook, user), the running one, the error members and the last run. */
export const nodeStateQuery = defineQuery<NodeStateView>('nodeState');

/** What a node workflow is started (or continued as new) with. */
export interface NodeWorkflowInput {
  readonly solution: string;
  readonly identifier: string;
  readonly generation: string;
  /** The state carried over by continue-as-new. */
  readonly state?: NodeState;
  /**
   * History length at which the workflow continues as new (besides when Temporal suggests it).
   * @default {@link NODE_HISTORY_EVENT_LIMIT}
   */
  readonly historyEventLimit?: number;
}

/** History length at which a node workflow continues as new: well under Temporal's own limits. */
export const NODE_HISTORY_EVENT_LIMIT = 2_000;

/** How long a deleted node's workflow stays to refuse requests resolved before the deletion, in ms (1 hour). */
export const DELETED_NODE_TOMBSTONE_MS = 60 * 60 * 1000;

export type { DispatchRetryPolicy };
