/**
 * Operating a schedule (FEATURES.md B1-B3, B8): Start, Pause, Resume and Stop as durable operations (one
 * workflow each, `workflows/schedule-operation.ts`), Retry of a pending one, Refresh, and Run now. Every call
 * acts as a principal and is scoped to its solution (A10).
 */
import type { Client } from '@temporalio/client';
import type { RunbookCatalog } from '../catalog/catalog';
import { requireRole } from '../connector/authorize';
import { ActionErrorCode, Messages, ScheduleActionError } from '../connector/errors';
import { parseInput } from '../connector/parse';
import { Role, type Principal } from '../principal';
import type { LifecycleScheduleGateway } from '../temporal/lifecycle-gateway';
import { ScheduleOperationKind } from '../temporal/run-input';
import { scheduleIdFor } from '../temporal/schedule-ids';
import type { StoredSchedule } from '../temporal/schedule-options';
import type { ScheduleOperationInput } from './apply';
import { OperationInputSchema, RunNowInputSchema, StartScheduleInputSchema } from './inputs';
import { decideOperation, nextRetryAllowedAt, PENDING_STATE, scheduleState } from './lifecycle';
import { OperationWorkflows, type PendingOperation } from './operation-workflows';
import { valuesInForce, type ParameterValues } from './parameters';
import { startRunNow } from './run-now';
import { scheduleStatusView, type RunNowResult, type ScheduleStatusView } from './views';

/** Dependencies of {@link ScheduleOperations}. */
export interface ScheduleOperationsDeps {
  readonly client: Client;
  readonly gateway: LifecycleScheduleGateway;
  readonly catalog: RunbookCatalog;
  readonly taskQueue: string;
  /** The clock (Retry's 10 minutes are measured on it). @default `() => new Date()` */
  readonly now?: () => Date;
  /**
   * How long an operation's call waits for it to complete before answering with the transitional state.
   * @default {@link DEFAULT_SETTLE_MS}
   */
  readonly settleMs?: number;
}

/** How long a call waits for its operation to complete before answering `Pausing`, `Starting`, ... */
export const DEFAULT_SETTLE_MS = 5_000;
const POLL_MS = 100;

/** The operations on one solution's schedules. */
export class ScheduleOperations {
  private readonly workflows: OperationWorkflows;
  private readonly now: () => Date;

  constructor(private readonly deps: ScheduleOperationsDeps) {
    this.workflows = new OperationWorkflows(deps.client, deps.taskQueue);
    this.now = deps.now ?? (() => new Date());
  }

  /** Refresh: the schedule's status. @throws {@link ScheduleActionError} `Schedule not found` */
  async status(principal: Principal, rawInput: unknown): Promise<ScheduleStatusView> {
    const { schedule_reference: reference } = parseInput(OperationInputSchema, rawInput);
    return await this.view(await this.find(principal.solution, reference));
  }

  /** Pause: the schedule stops firing until resumed. */
  async pause(principal: Principal, rawInput: unknown): Promise<ScheduleStatusView> {
    return await this.operate(principal, ScheduleOperationKind.Pause, rawInput);
  }

  /** Resume a paused schedule: it fires from now on, nothing of the paused period caught up. */
  async resume(principal: Principal, rawInput: unknown): Promise<ScheduleStatusView> {
    return await this.operate(principal, ScheduleOperationKind.Resume, rawInput);
  }

  /** Stop: the schedule no longer fires; its queued instance is aborted. */
  async stop(principal: Principal, rawInput: unknown): Promise<ScheduleStatusView> {
    return await this.operate(principal, ScheduleOperationKind.Stop, rawInput);
  }

  /**
   * Start (activate) a stopped or paused schedule: it fires from now on, without catching up; `parameters` gives
   * new values, `submitted_by` (a ServiceAdministrator only) the user its runs are submitted as.
   * @throws {@link ScheduleActionError} of code `forbidden` when another user than the caller's is named without
   * the ServiceAdministrator role.
   */
  async start(principal: Principal, rawInput: unknown): Promise<ScheduleStatusView> {
    return await this.operate(principal, ScheduleOperationKind.Start, rawInput);
  }

  /**
   * Retry: re-drives the pending operation now. Refused within 10 minutes of the previous retry of the schedule,
   * with the instant the next one is allowed.
   * @throws {@link ScheduleActionError} `Schedule has no pending operation to retry` (409), or of code
   * `too_early` (429) with {@link Messages.retryTooSoon}.
   */
  async retry(principal: Principal, rawInput: unknown): Promise<ScheduleStatusView> {
    const { schedule_reference: reference } = parseInput(OperationInputSchema, rawInput);
    const stored = await this.find(principal.solution, reference);
    const pending = await this.workflows.pending(stored.scheduleId);
    if (!pending) throw conflict(Messages.nothingToRetry, reference);
    const now = this.now();
    // Checked inside the write, on the schedule as stored, so two concurrent retries cannot both pass.
    await this.deps.gateway.modify(stored.scheduleId, (current) => {
      const next = nextRetryAllowedAt(current.input.lifecycle, now);
      if (next) {
        throw new ScheduleActionError(
          Messages.retryTooSoon(next.toISOString()),
          ActionErrorCode.TooEarly,
          [],
          reference,
        );
      }
      const lifecycle = { operations: [], ...current.input.lifecycle, lastRetryAt: now.toISOString() };
      return { input: { ...current.input, lifecycle } };
    });
    await this.workflows.retry(stored.scheduleId);
    return await this.settled(principal.solution, reference);
  }

  /**
   * Run now: an instance of its own, outside the cadence, submitted by the caller, with the values in force (and
   * `parameters` over them, for this run only).
   */
  async runNow(principal: Principal, rawInput: unknown): Promise<RunNowResult> {
    const input = parseInput(RunNowInputSchema, rawInput);
    const stored = await this.find(principal.solution, input.schedule_reference);
    const parameters = await this.parametersOf(stored, input.parameters);
    return await startRunNow(this.deps.client, this.deps.taskQueue, stored, {
      user: principal.user,
      parameters,
      now: this.now(),
    });
  }

  private async operate(
    principal: Principal,
    kind: ScheduleOperationKind,
    rawInput: unknown,
  ): Promise<ScheduleStatusView> {
    const input = parseInput(
      kind === ScheduleOperationKind.Start ? StartScheduleInputSchema : OperationInputSchema,
      rawInput,
    ) as { schedule_reference: string; parameters?: ParameterValues; submitted_by?: string };
    const reference = input.schedule_reference;
    if (input.submitted_by !== undefined && input.submitted_by !== principal.user) {
      requireRole(principal, Role.ServiceAdministrator, 'change the submitting user');
    }
    const stored = await this.find(principal.solution, reference);
    const pending = await this.workflows.pending(stored.scheduleId);
    const decision = decideOperation(scheduleState(stored.paused, stored.input, pending?.kind), kind);
    if (decision.kind === 'refused') throw conflict(decision.message, reference);
    if (decision.kind === 'noop') return await this.view(stored, pending);
    const operation: ScheduleOperationInput = {
      scheduleId: stored.scheduleId,
      kind,
      user: principal.user,
      requestedAt: this.now().toISOString(),
      ...(kind === ScheduleOperationKind.Start ? await this.startValues(stored, input) : {}),
    };
    if (!(await this.workflows.start(operation, stored.input))) {
      const now = await this.workflows.pending(stored.scheduleId);
      throw conflict(Messages.operationPending(PENDING_STATE[now?.kind ?? kind]), reference);
    }
    return await this.settled(principal.solution, reference);
  }

  /** What a Start brings: the values in force from now on and the submitting user. */
  private async startValues(
    stored: StoredSchedule,
    input: { parameters?: ParameterValues; submitted_by?: string },
  ): Promise<Pick<ScheduleOperationInput, 'parameters' | 'submittedBy'>> {
    const parameters = await this.parametersOf(stored, input.parameters);
    return {
      ...(parameters ? { parameters } : {}),
      ...(input.submitted_by !== undefined ? { submittedBy: input.submitted_by } : {}),
    };
  }

  /** The values in force with `given` over the schedule's. @throws `invalid`, naming an undeclared name */
  private async parametersOf(
    stored: StoredSchedule,
    given: ParameterValues | undefined,
  ): Promise<Record<string, string> | undefined> {
    const runbook = await this.deps.catalog.get(stored.memo.solution, stored.memo.runbookUuid);
    const result = valuesInForce(runbook?.parameters, stored.input.parameters, given);
    if (!result.success) {
      throw new ScheduleActionError(
        result.messages.join('; '),
        ActionErrorCode.Invalid,
        result.messages,
        stored.memo.reference,
      );
    }
    return result.values;
  }

  /** The status once the operation completed, or as it is after {@link DEFAULT_SETTLE_MS}. */
  private async settled(solution: string, reference: string): Promise<ScheduleStatusView> {
    const deadline = Date.now() + (this.deps.settleMs ?? DEFAULT_SETTLE_MS);
    for (;;) {
      const stored = await this.find(solution, reference);
      const pending = await this.workflows.pending(stored.scheduleId);
      if (!pending || Date.now() >= deadline) return await this.view(stored, pending);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async view(stored: StoredSchedule, known?: PendingOperation): Promise<ScheduleStatusView> {
    const pending = known ?? (await this.workflows.pending(stored.scheduleId));
    const runbook = await this.deps.catalog.get(stored.memo.solution, stored.memo.runbookUuid);
    return scheduleStatusView(stored, pending, runbook?.parameters, this.now());
  }

  /** The solution's schedule of a reference. @throws {@link ScheduleActionError} `Schedule not found` */
  private async find(solution: string, reference: string): Promise<StoredSchedule> {
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    if (!stored || stored.memo.solution !== solution) {
      throw new ScheduleActionError(Messages.scheduleNotFound, ActionErrorCode.NotFound, [], reference);
    }
    return stored;
  }
}

function conflict(message: string, reference: string): ScheduleActionError {
  return new ScheduleActionError(message, ActionErrorCode.Conflict, [], reference);
}
