/**
 * The only code that talks to Temporal about schedule nodes: Updates sent with update-with-start (so the first
 * one creates the node's workflow), the node's query, and the count of a solution's pending runs. A validator's
 * refusal becomes a {@link ScheduleServiceError} with its number; an outage an `UnavailableError`.
 */
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { equalityClause } from '../temporal/runs';
import { DISPATCH_STATUS, REFERENCE, SOLUTION } from '../temporal/search-attributes';
import { WorkflowType } from '../temporal/run-input';
import { grpcCodeOf, GrpcStatus, translateTemporalError } from '../temporal/temporal-errors';
import type { scheduleNodeWorkflow } from '../../workflows/schedule-node';
import {
  ErrorNumber,
  SCHEDULE_SERVICE_REFUSAL,
  ScheduleServiceError,
  type ErrorNumber as Num,
} from './errors';
import { nodeWorkflowId } from './node-ids';
import {
  cancelNodeRunUpdate,
  clearNodeErrorUpdate,
  deleteNodeUpdate,
  nodeStateQuery,
  scheduleNodeRunUpdate,
} from './node-messages';
import type { NodeRunRequest, NodeStateView, ScheduleOutcome } from './node-state';

/** The node a gateway call concerns. */
export interface NodeRef {
  readonly solution: string;
  readonly identifier: string;
  readonly generation: string;
}

/** Memo of a node's workflow: what it is, for operators in the Web UI. */
export interface NodeMemo {
  readonly product: 'runbook-scheduler';
  readonly kind: 'schedule_node';
  readonly solution: string;
  readonly node: string;
}

/** What the schedule service needs from Temporal; a plain object in unit tests. */
export interface NodeGateway {
  schedule(node: NodeRef, request: NodeRunRequest): Promise<ScheduleOutcome>;
  cancel(node: NodeRef): Promise<{ cancelled: boolean }>;
  clearError(node: NodeRef): Promise<{ cleared: boolean }>;
  remove(node: NodeRef): Promise<{ cancelled: boolean }>;
  /** The node workflow's state, or undefined when it has none. */
  query(solution: string, identifier: string): Promise<NodeStateView | undefined>;
  /** How many of a solution's nodes have a pending run (visibility: eventually consistent). */
  countPending(solution: string): Promise<number>;
}

/** The refusal a validator answered with, or the translated error. */
function translate(err: unknown, identifier: string): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    if (failure.type === SCHEDULE_SERVICE_REFUSAL) {
      const number = failure.details?.[0] as Exclude<Num, 0> | undefined;
      return new ScheduleServiceError(number ?? ErrorNumber.ParameterError, failure.message, identifier);
    }
  }
  return translateTemporalError(err);
}

/** Updates one process sends one node's workflow at once: Temporal refuses more than 10 in flight per workflow. */
export const MAX_UPDATES_IN_FLIGHT_PER_NODE = 4;
/** How long an update refused as "overloaded" (too many in flight from other processes) is retried, in ms. */
export const OVERLOADED_RETRY_MS = 60_000;

/** A counting semaphore per key, so one node's updates queue here instead of overloading its workflow. */
class KeyedLimiter {
  private readonly slots = new Map<string, { active: number; waiting: Array<() => void> }>();
  constructor(private readonly limit: number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key) ?? { active: 0, waiting: [] };
    this.slots.set(key, slot);
    if (slot.active >= this.limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active++;
    try {
      return await work();
    } finally {
      const next = slot.waiting.shift();
      if (next) next();
      else if (--slot.active === 0) this.slots.delete(key);
    }
  }
}

/** {@link NodeGateway} over a Temporal client. */
export class TemporalNodeGateway implements NodeGateway {
  private readonly limiter = new KeyedLimiter(MAX_UPDATES_IN_FLIGHT_PER_NODE);

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Sends one update to a node's workflow: at most {@link MAX_UPDATES_IN_FLIGHT_PER_NODE} at once from this
   * process, and one refused because the workflow has too many in flight (other processes') is sent again with
   * backoff for up to {@link OVERLOADED_RETRY_MS}.
   */
  private async update<R>(node: NodeRef, send: () => Promise<R>): Promise<R> {
    return await this.limiter.run(nodeWorkflowId(node.solution, node.identifier), async () => {
      const deadline = Date.now() + OVERLOADED_RETRY_MS;
      for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
        try {
          return await send();
        } catch (err) {
          if (grpcCodeOf(err) !== GrpcStatus.ResourceExhausted || Date.now() + delay > deadline) {
            throw translate(err, node.identifier);
          }
          await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
        }
      }
    });
  }

  private startOperation(node: NodeRef) {
    const memo: NodeMemo = {
      product: 'runbook-scheduler',
      kind: 'schedule_node',
      solution: node.solution,
      node: node.identifier,
    };
    return new WithStartWorkflowOperation<typeof scheduleNodeWorkflow>(WorkflowType.ScheduleNode, {
      workflowId: nodeWorkflowId(node.solution, node.identifier),
      taskQueue: this.taskQueue,
      args: [{ solution: node.solution, identifier: node.identifier, generation: node.generation }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { ...memo },
      staticSummary: `Schedule node ${node.identifier} of ${node.solution}`,
      typedSearchAttributes: [
        { key: SOLUTION, value: node.solution },
        { key: REFERENCE, value: node.identifier },
        { key: DISPATCH_STATUS, value: 'idle' },
      ],
    });
  }

  private withStart<R>(
    node: NodeRef,
    send: (op: WithStartWorkflowOperation<typeof scheduleNodeWorkflow>) => Promise<R>,
  ): Promise<R> {
    // A fresh operation for every attempt: one is used up by the call it is given to.
    return this.update(node, () => send(this.startOperation(node)));
  }

  schedule(node: NodeRef, request: NodeRunRequest): Promise<ScheduleOutcome> {
    return this.withStart(node, (op) =>
      this.client.workflow.executeUpdateWithStart(scheduleNodeRunUpdate, {
        args: [request],
        startWorkflowOperation: op,
      }),
    );
  }

  cancel(node: NodeRef): Promise<{ cancelled: boolean }> {
    return this.withStart(node, (op) =>
      this.client.workflow.executeUpdateWithStart(cancelNodeRunUpdate, {
        args: [{ generation: node.generation }],
        startWorkflowOperation: op,
      }),
    );
  }

  /** Clears the error on the node's workflow; a node without one has no error to clear. */
  async clearError(node: NodeRef): Promise<{ cleared: boolean }> {
    try {
      return await this.update(node, () =>
        this.client.workflow
          .getHandle(nodeWorkflowId(node.solution, node.identifier))
          .executeUpdate(clearNodeErrorUpdate, { args: [{ generation: node.generation }] }),
      );
    } catch (err) {
      if (isNotFound(err)) return { cleared: false };
      throw err;
    }
  }

  /** Cancels the pending run and tombstones the generation, creating the workflow if need be (see the README). */
  remove(node: NodeRef): Promise<{ cancelled: boolean }> {
    return this.withStart(node, (op) =>
      this.client.workflow.executeUpdateWithStart(deleteNodeUpdate, {
        args: [{ generation: node.generation }],
        startWorkflowOperation: op,
      }),
    );
  }

  async query(solution: string, identifier: string): Promise<NodeStateView | undefined> {
    try {
      return await this.client.workflow.getHandle(nodeWorkflowId(solution, identifier)).query(nodeStateQuery);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw translate(err, identifier);
    }
  }

  async countPending(solution: string): Promise<number> {
    const bySolution = equalityClause(SOLUTION.name, solution);
    const query = [
      equalityClause('WorkflowType', WorkflowType.ScheduleNode),
      equalityClause('ExecutionStatus', 'Running'),
      equalityClause(DISPATCH_STATUS.name, 'pending'),
      bySolution,
    ]
      .filter((clause) => clause !== undefined)
      .join(' AND ');
    try {
      if (bySolution !== undefined) return (await this.client.workflow.count(query)).count;
      // A solution that cannot be put in a query (see equalityClause) is counted by its workflows' memo.
      let count = 0;
      for await (const info of this.client.workflow.list({ query })) {
        if ((info.memo as Partial<NodeMemo> | undefined)?.solution === solution) count++;
      }
      return count;
    } catch (err) {
      throw translateTemporalError(err);
    }
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || grpcCodeOf(err) === GrpcStatus.NotFound;
}
