/**
 * The Temporal-facing side of the schedule operations: starts an operation's workflow, reads the pending one
 * (from its description and memo, so it reads without a worker), signals a Retry. One workflow id per schedule,
 * reused by each operation, so at most one is pending at a time.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { WorkflowType, type ScheduleOperationKind, type ScheduledRunInput } from '../temporal/run-input';
import { REFERENCE, SOLUTION } from '../temporal/search-attributes';
import type { ScheduleOperationInput } from './apply';
import { RETRY_SIGNAL } from './operation-signals';

/** Workflow id of a schedule's operations: `<schedule id>:operation`. */
export function operationWorkflowId(scheduleId: string): string {
  return `${scheduleId}:operation`;
}

/** An operation that has not completed. */
export interface PendingOperation {
  readonly kind: ScheduleOperationKind;
  readonly user: string;
  readonly requestedAt: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly submittedBy?: string;
}

/** Operation workflows of one Temporal namespace and task queue. */
export class OperationWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the operation's workflow. False when another operation of the schedule is still pending.
   */
  async start(operation: ScheduleOperationInput, run: ScheduledRunInput): Promise<boolean> {
    try {
      await this.client.workflow.start(WorkflowType.ScheduleOperation, {
        workflowId: operationWorkflowId(operation.scheduleId),
        taskQueue: this.taskQueue,
        args: [operation],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        // The memo is what reads the pending operation without a worker.
        memo: { ...operation },
        typedSearchAttributes: [
          { key: SOLUTION, value: run.solution },
          { key: REFERENCE, value: run.reference },
        ],
        staticSummary: `${operation.kind} schedule "${run.reference}" (${run.solution}) for ${operation.user}`,
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** The schedule's pending operation, or undefined when none is running. */
  async pending(scheduleId: string): Promise<PendingOperation | undefined> {
    try {
      const description = await this.client.workflow.getHandle(operationWorkflowId(scheduleId)).describe();
      if (description.status.name !== 'RUNNING') return undefined;
      return description.memo as unknown as PendingOperation;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Signals the pending operation to try again now (it is read once a worker runs it). */
  async retry(scheduleId: string): Promise<void> {
    await this.client.workflow.getHandle(operationWorkflowId(scheduleId)).signal(RETRY_SIGNAL);
  }
}
