/**
 * The Create / Update / Delete Schedule actions of the Scheduler connector (FEATURES.md A7-A9), and the reads
 * and operator commands on one schedule (get, list, runs, pause, resume, trigger). Every call is scoped to one
 * solution (A10); the schedules themselves live in Temporal, behind a {@link ScheduleGateway}.
 */
import { TriggerTemplate } from '../catalog/model';
import { formatUtcSeconds, type JsonObject } from '../dispatch/payload';
import type { Recurrence } from '../recurrence';
import type { ScheduleKind } from '../temporal/run-input';
import type { RunView } from '../temporal/runs';
import type { StoredSchedule } from '../temporal/schedule-gateway';
import { scheduleIdFor } from '../temporal/schedule-ids';
import type { SchedulePage } from '../temporal/schedule-list';
import { listedFromStored, type ListedSchedule } from '../temporal/schedule-listing';
import { scheduleMemo } from '../temporal/schedule-options';
import {
  PageTokenRejectedError,
  ScheduleAlreadyExistsError,
  ScheduleNotFoundError,
  ScheduleOverwrittenError,
  ScheduleWriteConflictError,
} from '../temporal/temporal-errors';
import type { ConnectorDeps } from './deps';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';
import {
  CreateScheduleInputSchema,
  ListRunsInputSchema,
  ListSchedulesInputSchema,
  MAX_SCHEDULE_PAGE_SIZE,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
} from './inputs';
import { decodePageToken, encodePageToken, invalidPageToken } from './page-token';
import { parseInput, parseRecurrence, recurrenceOptions } from './parse';
import { buildRunInput } from './run-inputs';
import { targetRefusal } from './target-policy';

/** Create Schedule's output (FEATURES.md A7). */
export interface CreateScheduleOutput {
  readonly schedule_reference: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, or null when the schedule will never fire. */
  readonly next_occurrence_at: string | null;
  /** Why `next_occurrence_at` is null. */
  readonly next_occurrence_errors: string | null;
}

/** A schedule as callers see it. */
export interface ScheduleView {
  readonly schedule_reference: string;
  readonly runbook_uuid: string;
  readonly kind: ScheduleKind;
  readonly schedule: Recurrence;
  readonly request_body: JsonObject | null;
  /** True when paused: by `disabled`, by an operator (also in the Temporal UI), or by itself (no occurrence). */
  readonly paused: boolean;
  /** The schedule's note: why it is paused, or its next occurrence. */
  readonly note: string | null;
  /** The next instants Temporal will fire, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly next_action_times: string[];
  /** The last dispatch failure, `<triggered_at> Runbook execution failed with status <status>`. */
  readonly last_error: string | null;
  readonly generation: string;
  readonly temporal_schedule_id: string;
}

/** One page of List Schedules. */
export interface ScheduleListPage {
  readonly schedules: ScheduleView[];
  /** The `page_token` of the next page; null on the last. */
  readonly next_page_token: string | null;
}

/** The `{success: true}` of actions that return nothing else. */
export interface Success {
  readonly success: true;
}

const SUCCESS: Success = { success: true };

/** Dependencies of {@link ScheduleActions}. */
export type ScheduleActionsDeps = ConnectorDeps;

/** The schedule actions and reads, each scoped to one solution. */
export class ScheduleActions {
  constructor(private readonly deps: ScheduleActionsDeps) {}

  /**
   * Create Schedule (FEATURES.md A7): a schedule for a Dynamic Scheduler runbook of the solution.
   * @throws {@link ScheduleActionError} with the exact messages of A7.
   * @throws {@link UnavailableError} when Temporal or the catalog is unavailable; nothing was created.
   * @param submittedBy the caller's user: the submitting user of its runs until a Start names another (B8).
   */
  async createSchedule(
    solution: string,
    rawInput: unknown,
    submittedBy?: string,
  ): Promise<CreateScheduleOutput> {
    const input = parseInput(CreateScheduleInputSchema, rawInput, Messages.createInvalid);
    const runbook = await this.deps.catalog.get(solution, input.runbook_uuid);
    if (!runbook) throw new ScheduleActionError(Messages.noRunbook, ActionErrorCode.NotFound);
    if (runbook.trigger.template !== TriggerTemplate.DynamicScheduler) {
      throw new ScheduleActionError(
        Messages.templateNotSupported(runbook.trigger.template),
        ActionErrorCode.Unsupported,
      );
    }
    // A runbook stored before the operator's policy changed is held to the policy as it is now.
    const refusal = targetRefusal(solution, runbook.target, this.deps.targets);
    if (refusal) {
      throw new ScheduleActionError(Messages.createInvalid([refusal]), ActionErrorCode.Invalid, [refusal]);
    }
    const now = this.deps.now();
    const recurrence = parseRecurrence(
      input.schedule,
      recurrenceOptions(now, this.deps.defaultTimeZone),
      Messages.createInvalid,
    );
    await this.deps.quota.check(solution, (sentence) => Messages.createInvalid([sentence]));
    const run = buildRunInput({
      solution,
      reference: input.schedule_reference,
      runbook,
      recurrence,
      requestBody: input.request_body,
      retry: this.deps.retry,
      now,
      ...(submittedBy !== undefined ? { submittedBy } : {}),
    });
    try {
      const compiled = await this.deps.gateway.create(run, scheduleMemo(run, now), now);
      this.deps.quota.created(solution);
      return {
        schedule_reference: input.schedule_reference,
        next_occurrence_at: compiled.nextOccurrenceAt ? formatUtcSeconds(compiled.nextOccurrenceAt) : null,
        next_occurrence_errors: compiled.reason,
      };
    } catch (err) {
      if (err instanceof ScheduleAlreadyExistsError) {
        throw new ScheduleActionError(
          Messages.createInvalid([Messages.referenceNotUnique]),
          ActionErrorCode.Conflict,
          [],
          input.schedule_reference,
        );
      }
      throw err;
    }
  }

  /**
   * Update Schedule (FEATURES.md A8): a full replacement of the recurrence; `disabled` pauses and resumes.
   * Answers success only once the new rule is stored (read back), never for a change a concurrent write beat.
   * @throws {@link ScheduleActionError} `Failed to update schedule: Schedule not found` or
   * `Failed to update schedule: Schedule update failed` (validation messages in `details`).
   */
  async updateSchedule(solution: string, rawInput: unknown): Promise<Success> {
    const { schedule_reference: reference, schedule } = parseInput(
      UpdateScheduleInputSchema,
      rawInput,
      () => Messages.updateFailed,
    );
    const notFound = () =>
      new ScheduleActionError(Messages.updateNotFound, ActionErrorCode.NotFound, [], reference);
    const now = this.deps.now();
    let recurrence: Recurrence;
    try {
      recurrence = parseRecurrence(
        schedule,
        recurrenceOptions(now, this.deps.defaultTimeZone),
        () => Messages.updateFailed,
      );
    } catch (err) {
      // An unknown reference answers not found whatever the rule; a known one is looked up by the write itself.
      if (!(await this.find(solution, reference))) throw notFound();
      throw err;
    }
    try {
      await this.deps.gateway.replace(scheduleIdFor(solution, reference), solution, recurrence, now);
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) {
        throw notFound();
      }
      if (err instanceof ScheduleWriteConflictError || err instanceof ScheduleOverwrittenError) {
        throw new ScheduleActionError(
          Messages.updateFailed,
          ActionErrorCode.Conflict,
          [err.message],
          reference,
        );
      }
      throw err;
    }
    return SUCCESS;
  }

  /**
   * Delete Schedule (FEATURES.md A9): idempotent; unknown or deleted references succeed. The schedule never
   * fires again, and runs still dispatching (retrying, say) are cancelled, so nothing more is sent.
   */
  async deleteSchedule(solution: string, rawInput: unknown): Promise<Success> {
    const { schedule_reference: reference } = parseInput(ScheduleReferenceInputSchema, rawInput);
    await this.deps.gateway.delete(scheduleIdFor(solution, reference));
    await this.deps.gateway.cancelRunningRuns(solution, reference);
    return SUCCESS;
  }

  /** The schedule of a reference, or undefined. */
  async getSchedule(solution: string, rawInput: unknown): Promise<ScheduleView | undefined> {
    const { schedule_reference: reference } = parseInput(ScheduleReferenceInputSchema, rawInput);
    const stored = await this.find(solution, reference);
    return stored ? viewOf(listedFromStored(stored)) : undefined;
  }

  /**
   * One page of the solution's schedules, ordered by reference within the page, from Temporal's list and each
   * schedule's memo and search attributes (a describe only for schedules written before those held the
   * listing). Eventually consistent: a change of a moment ago may not show yet.
   * @throws {@link ScheduleActionError} naming the field when the input is invalid, `Page token is invalid` for
   *   a token that is not one of the solution's `next_page_token`s.
   */
  async listSchedulePage(solution: string, rawInput: unknown = {}): Promise<ScheduleListPage> {
    const input = parseInput(ListSchedulesInputSchema, rawInput);
    const pageToken =
      input.page_token === undefined ? undefined : decodePageToken(solution, input.page_token);
    let page: SchedulePage;
    try {
      page = await this.deps.gateway.listSchedulePage(solution, {
        pageSize: input.page_size,
        ...(pageToken ? { pageToken } : {}),
      });
    } catch (err) {
      if (err instanceof PageTokenRejectedError) throw invalidPageToken();
      throw err;
    }
    return {
      schedules: page.schedules
        .filter((listed) => listed.memo.solution === solution)
        .map(viewOf)
        .sort(byReference),
      next_page_token: page.nextPageToken ? encodePageToken(solution, page.nextPageToken) : null,
    };
  }

  /** Every schedule of the solution, ordered by reference: every page of {@link listSchedulePage}. */
  async listSchedules(solution: string): Promise<ScheduleView[]> {
    const views: ScheduleView[] = [];
    let page_token: string | undefined;
    do {
      const page = await this.listSchedulePage(solution, {
        page_size: MAX_SCHEDULE_PAGE_SIZE,
        ...(page_token ? { page_token } : {}),
      });
      views.push(...page.schedules);
      page_token = page.next_page_token ?? undefined;
    } while (page_token);
    return views.sort(byReference);
  }

  /**
   * The most recent runs of a reference, newest first: also after Delete Schedule and across generations, so
   * past runs stay inspectable (FEATURES.md A9). Only the solution's own runs are ever returned.
   * @throws {@link ScheduleActionError} naming the field when the input is invalid.
   */
  async listRuns(solution: string, rawInput: unknown): Promise<{ runs: RunView[] }> {
    const { schedule_reference: reference, limit } = parseInput(ListRunsInputSchema, rawInput);
    return { runs: await this.deps.gateway.listRuns(solution, reference, limit) };
  }

  /** Pauses a schedule (operator pause; `disabled` in the stored rule is unchanged). */
  async pauseSchedule(solution: string, rawInput: unknown): Promise<Success> {
    return await this.onSchedule(solution, rawInput, (id) => this.deps.gateway.pause(id));
  }

  /** Resumes a paused schedule. */
  async resumeSchedule(solution: string, rawInput: unknown): Promise<Success> {
    return await this.onSchedule(solution, rawInput, (id) => this.deps.gateway.resume(id));
  }

  /** Fires a schedule now, outside its cadence. */
  async triggerSchedule(solution: string, rawInput: unknown): Promise<Success> {
    return await this.onSchedule(solution, rawInput, (id) => this.deps.gateway.trigger(id));
  }

  /** Runs an operator command on the solution's schedule of a reference. @throws `Schedule not found` */
  private async onSchedule(
    solution: string,
    rawInput: unknown,
    command: (scheduleId: string) => Promise<void>,
  ): Promise<Success> {
    const { schedule_reference: reference } = parseInput(ScheduleReferenceInputSchema, rawInput);
    const notFound = () =>
      new ScheduleActionError(Messages.scheduleNotFound, ActionErrorCode.NotFound, [], reference);
    const stored = await this.find(solution, reference);
    if (!stored) throw notFound();
    try {
      await command(stored.scheduleId);
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw notFound();
      throw err;
    }
    return SUCCESS;
  }

  /** The solution's schedule of a reference; never another solution's, whatever the id says. */
  private async find(solution: string, reference: string): Promise<StoredSchedule | undefined> {
    const stored = await this.deps.gateway.get(scheduleIdFor(solution, reference));
    return stored && stored.memo.solution === solution ? stored : undefined;
  }
}

/** Views in the order of their references. */
const byReference = (a: ScheduleView, b: ScheduleView): number =>
  a.schedule_reference.localeCompare(b.schedule_reference);

/** A schedule as callers see it, from a listing or a describe. */
export function viewOf(stored: ListedSchedule): ScheduleView {
  return {
    schedule_reference: stored.memo.reference,
    runbook_uuid: stored.memo.runbookUuid,
    kind: stored.memo.kind,
    schedule: { ...stored.recurrence, disabled: stored.recurrence.disabled || stored.paused },
    request_body: stored.requestBody ?? null,
    paused: stored.paused,
    note: stored.note ?? null,
    next_action_times: stored.nextActionTimes.map(formatUtcSeconds),
    last_error: stored.lastError ?? null,
    generation: stored.memo.generation,
    temporal_schedule_id: stored.scheduleId,
  };
}
