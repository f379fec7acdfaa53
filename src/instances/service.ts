/**
 * The instance operations of a schedule (FEATURES.md B4-B6), scoped to the caller's solution: list instances,
 * future runs, abort a queued or paused instance, cancel a running one, resubmit a finished one. Each parses its
 * raw input with its schema (`inputs.ts`) before any side effect; the HTTP API and the CLI are thin layers over it.
 */
import type { Client } from '@temporalio/client';
import { ActionErrorCode, Messages, ScheduleActionError } from '../connector/errors';
import { parseInput } from '../connector/parse';
import { formatUtcSeconds } from '../dispatch/payload';
import type { Principal } from '../principal';
import { scheduleIdFor } from '../temporal/schedule-ids';
import type { StoredSchedule, TemporalScheduleGateway } from '../temporal/schedule-gateway';
import { abortOccurrence, AbortReasons, type AbortRecord } from './abort';
import { excludedInstants } from './exclusions';
import { instanceActivity, instancePayload, type ActivityStreamView } from './activity';
import {
  FutureRunsInputSchema,
  InstanceInputSchema,
  InstancePayloadInputSchema,
  ListInstancesInputSchema,
} from './inputs';
import { listInstances, queuedInstance, type InstanceView } from './list';
import { occurrenceType, upcomingOccurrences } from './occurrences';
import { cancelRun, resubmitRun } from './resubmit';
import { InstanceStatus } from './status';

/** A page of instances; `next_page_token` is null on the last page. */
export interface InstancePage {
  readonly instances: InstanceView[];
  readonly next_page_token: string | null;
}

/** Future runs: the next fire times with their type; `paused` says the schedule will not fire them until resumed. */
export interface FutureRuns {
  readonly paused: boolean;
  readonly future_runs: Array<{ type: string; scheduled_time: string }>;
}

/** Dependencies of {@link InstanceService}. */
export interface InstanceServiceDeps {
  readonly client: Client;
  readonly gateway: Pick<TemporalScheduleGateway, 'get' | 'excludeOccurrence'>;
  readonly taskQueue: string;
  /** The clock. @default `() => new Date()` */
  readonly now?: () => Date;
}

/** The instance operations, each scoped to the caller's solution. */
export class InstanceService {
  private readonly now: () => Date;

  constructor(private readonly deps: InstanceServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * The instances of a schedule reference, newest occurrence first, filtered by status and occurrence time.
   * @throws {@link ScheduleActionError} `invalid` for a bad input.
   */
  async listInstances(principal: Principal, raw: unknown): Promise<InstancePage> {
    const input = parseInput(ListInstancesInputSchema, raw);
    const all = await this.instancesOf(principal.solution, input.schedule_reference);
    const from = input.from ? formatUtcSeconds(new Date(input.from)) : undefined;
    const to = input.to ? formatUtcSeconds(new Date(input.to)) : undefined;
    const matching = all.filter(
      (view) =>
        (input.status === undefined || view.status === input.status) &&
        (from === undefined || view.triggered_at >= from) &&
        (to === undefined || view.triggered_at <= to),
    );
    const offset = Number(input.page_token ?? 0);
    const end = offset + input.page_size;
    return {
      instances: matching.slice(offset, end),
      next_page_token: end < matching.length ? String(end) : null,
    };
  }

  /**
   * The next `count` (up to 1,000) fire times of a schedule with their type, less the aborted ones.
   * @throws {@link ScheduleActionError} `Schedule not found`.
   */
  async futureRuns(principal: Principal, raw: unknown): Promise<FutureRuns> {
    const input = parseInput(FutureRunsInputSchema, raw);
    const stored = await this.schedule(principal.solution, input.schedule_reference);
    const rule = stored.input.recurrence;
    const excluded = excludedInstants(stored.description.raw.schedule?.spec);
    const type = occurrenceType(rule);
    return {
      paused: stored.paused,
      future_runs: upcomingOccurrences(rule, this.now(), input.count, excluded).map((at) => ({
        type,
        scheduled_time: formatUtcSeconds(at),
      })),
    };
  }

  /**
   * Aborts a `Queued` or `Paused` instance: it never fires and reads `Aborted`, with reason and user.
   * @throws {@link ScheduleActionError} `Instance not found`, or `conflict` when it is not queued or paused.
   */
  async abort(principal: Principal, raw: unknown): Promise<AbortRecord> {
    const input = parseInput(InstanceInputSchema, raw);
    const view = await this.instance(principal.solution, input.schedule_reference, input.instance_id);
    if (view.status !== InstanceStatus.Queued && view.status !== InstanceStatus.Paused) {
      throw new ScheduleActionError(Messages.notAbortable(view.status), ActionErrorCode.Conflict);
    }
    return await abortOccurrence(this.deps, {
      scheduleId: scheduleIdFor(principal.solution, input.schedule_reference),
      occurrence: new Date(view.triggered_at),
      reason: AbortReasons.byUser(principal.user),
      user: principal.user,
      now: this.now(),
    });
  }

  /**
   * Cancels an `In progress` or `Blocked` instance; it ends `Aborted`, the cancel request naming the caller.
   * @throws {@link ScheduleActionError} `Instance not found`, or `conflict` when it is not running.
   */
  async cancel(principal: Principal, raw: unknown): Promise<{ success: true }> {
    const input = parseInput(InstanceInputSchema, raw);
    const view = await this.instance(principal.solution, input.schedule_reference, input.instance_id);
    if (view.status !== InstanceStatus.InProgress && view.status !== InstanceStatus.Blocked) {
      throw new ScheduleActionError(Messages.notCancellable(view.status), ActionErrorCode.Conflict);
    }
    await cancelRun(
      this.deps.client,
      view.instance_id,
      principal.user,
      `${AbortReasons.cancelled} by ${principal.user}`,
    );
    return { success: true };
  }

  /**
   * Resubmits a finished run as the caller; the original then reads `Resubmitted`.
   * @returns the new instance's id.
   * @throws {@link ScheduleActionError} `Instance not found`, or `conflict` when it is not a finished run.
   */
  async resubmit(principal: Principal, raw: unknown): Promise<{ instance_id: string }> {
    const input = parseInput(InstanceInputSchema, raw);
    const view = await this.instance(principal.solution, input.schedule_reference, input.instance_id);
    const finished: string[] = [InstanceStatus.Succeeded, InstanceStatus.Errored, InstanceStatus.Resubmitted];
    const cancelledRun = view.status === InstanceStatus.Aborted && view.started_at !== null;
    if (!finished.includes(view.status) && !cancelledRun) {
      throw new ScheduleActionError(Messages.notResubmittable(view.status), ActionErrorCode.Conflict);
    }
    const id = await resubmitRun(
      this.deps.client,
      this.deps.taskQueue,
      view.instance_id,
      principal.user,
      this.now(),
    );
    return { instance_id: id };
  }

  /**
   * The activity stream of an instance: its milestones with their time, reason and who (FEATURES.md B7).
   * @throws {@link ScheduleActionError} `Instance not found`.
   */
  async activity(principal: Principal, raw: unknown): Promise<ActivityStreamView> {
    const input = parseInput(InstanceInputSchema, raw);
    const { stored, all } = await this.located(principal.solution, input.schedule_reference);
    const view = found(all, input.instance_id, input.schedule_reference);
    return await instanceActivity(this.deps.client, view, all, stored);
  }

  /**
   * The request an instance dispatched (target header values redacted) or the runbook's answer, as recorded.
   * @throws {@link ScheduleActionError} `Instance not found`, or {@link Messages.noPayload} (404) when it has none.
   */
  async payload(principal: Principal, raw: unknown): Promise<Record<string, unknown>> {
    const input = parseInput(InstancePayloadInputSchema, raw);
    const view = await this.instance(principal.solution, input.schedule_reference, input.instance_id);
    const payload = await instancePayload(this.deps.client, view, input.payload);
    if (payload === undefined) {
      throw new ScheduleActionError(
        Messages.noPayload(input.payload),
        ActionErrorCode.NotFound,
        [],
        input.schedule_reference,
      );
    }
    return payload as Record<string, unknown>;
  }

  private async schedule(solution: string, reference: string): Promise<StoredSchedule> {
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    if (!stored || stored.memo.solution !== solution || stored.memo.reference !== reference) {
      throw new ScheduleActionError(Messages.scheduleNotFound, ActionErrorCode.NotFound, [], reference);
    }
    return stored;
  }

  /** The solution's schedule of the reference (if it exists) and every instance of the reference. */
  private async located(
    solution: string,
    reference: string,
  ): Promise<{ stored: StoredSchedule | undefined; all: InstanceView[] }> {
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    const mine = stored && stored.memo.solution === solution && stored.memo.reference === reference;
    const queued = mine ? queuedInstance(stored, this.now()) : undefined;
    const all = await listInstances(this.deps.client, solution, reference, queued);
    return { stored: mine ? stored : undefined, all };
  }

  private async instancesOf(solution: string, reference: string): Promise<InstanceView[]> {
    return (await this.located(solution, reference)).all;
  }

  private async instance(solution: string, reference: string, id: string): Promise<InstanceView> {
    return found(await this.instancesOf(solution, reference), id, reference);
  }
}

/** The instance of id `id` among a reference's. @throws {@link ScheduleActionError} `Instance not found` */
function found(all: readonly InstanceView[], id: string, reference: string): InstanceView {
  const view = all.find((v) => v.instance_id === id);
  if (!view)
    throw new ScheduleActionError(Messages.instanceNotFound, ActionErrorCode.NotFound, [], reference);
  return view;
}
