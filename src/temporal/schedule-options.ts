/**
 * What the product writes into a Temporal Schedule and how it reads it back (pure): the options of a runbook
 * schedule and of the sweep schedule, the memo and search attributes, the note, and the decoding of a
 * description into a {@link StoredSchedule}. The gateway only sends and receives these.
 */
import { ScheduleOverlapPolicy, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import { MONTHS, type CompiledSchedule } from './compile';
import { WorkflowType, type ScheduleMemo, type ScheduledRunInput } from './run-input';
import { SWEEP_SCHEDULE_ID } from './schedule-ids';
import { createdWithOf } from './generation-restore';
import { memoRequestBody, recurrenceAttribute } from './schedule-listing';
import { GENERATION, LAST_ERROR, RECURRENCE, REFERENCE, RUNBOOK, SOLUTION } from './search-attributes';

/**
 * Missed fires within this window after a server outage are still taken (late, with their own
 * `triggered_at`); older ones are skipped. Also bounds the backfill of a window that ran dry.
 */
export const CATCHUP_WINDOW_MS = 24 * 3_600_000;

/** How often the sweep runs. */
export const SWEEP_EVERY_MS = 3_600_000;

/** The memo marker of the product's schedules. */
export const PRODUCT = 'runbook-scheduler';

/** A schedule as stored in Temporal, decoded. */
export interface StoredSchedule {
  readonly scheduleId: string;
  readonly memo: ScheduleMemo;
  readonly input: ScheduledRunInput;
  readonly paused: boolean;
  readonly note: string | undefined;
  readonly lastError: string | undefined;
  readonly nextActionTimes: Date[];
  readonly description: ScheduleDescription;
}

/** The immutable facts about a schedule, kept in its memo. */
export function scheduleMemo(input: ScheduledRunInput, now: Date): ScheduleMemo {
  const body = memoRequestBody(input);
  return {
    product: PRODUCT,
    kind: input.kind,
    solution: input.solution,
    reference: input.reference,
    runbookUuid: input.runbookUuid,
    generation: input.generation,
    createdAt: now.toISOString(),
    ...body,
    createdWith: createdWithOf(input, body.requestBodyInMemo === 'inline'),
  };
}

/** The search attributes of a schedule and of each of its runs. */
export function searchAttributesOf(input: ScheduledRunInput): SearchAttributePair[] {
  return [
    { key: SOLUTION, value: input.solution },
    { key: REFERENCE, value: input.reference },
    { key: RUNBOOK, value: input.runbookUuid },
    { key: GENERATION, value: input.generation },
  ];
}

/** `input` with the re-arm point of `compiled`, the spec written with it (see `ScheduledRunInput.rearmFrom`). */
export function withRearmFrom(input: ScheduledRunInput, compiled: CompiledSchedule): ScheduledRunInput {
  return { ...input, rearmFrom: compiled.rearmFrom?.toISOString() ?? null };
}

/**
 * The search attributes of a schedule itself: its runs' ({@link searchAttributesOf}), its rule for listings
 * (when short enough for one value) and its last dispatch failure, if any.
 */
export function scheduleSearchAttributesOf(
  input: ScheduledRunInput,
  lastError?: string,
): SearchAttributePair[] {
  const recurrence = recurrenceAttribute(input.recurrence);
  return [
    ...searchAttributesOf(input),
    ...(recurrence !== undefined ? [{ key: RECURRENCE, value: recurrence }] : []),
    ...(lastError !== undefined ? [{ key: LAST_ERROR, value: lastError.slice(0, 1000) }] : []),
  ];
}

/**
 * The indexed fields an update sends (Temporal replaces a schedule's search attributes as a whole): those it
 * has, with the product's recomputed from `input` (a rule too long for one value is dropped, never left stale).
 */
export function scheduleSearchAttributeFields(
  current: Record<string, temporal.api.common.v1.IPayload> | null | undefined,
  input: ScheduledRunInput,
  lastError: string | undefined,
): Record<string, temporal.api.common.v1.IPayload> {
  const { [RECURRENCE.name]: _stale, ...kept } = current ?? {};
  return {
    ...kept,
    ...encodeUnifiedSearchAttributes(undefined, scheduleSearchAttributesOf(input, lastError)),
  };
}

/**
 * The search attributes an update writing run input `input` into `stored` sends: the schedule's own, with the
 * listing's copy of the rule recomputed (and given to a schedule written before the copy existed) and the last
 * dispatch failure `lastError`.
 */
export function writtenSearchAttributes(
  stored: StoredSchedule,
  input: ScheduledRunInput,
  lastError: string | undefined = stored.lastError,
): temporal.api.common.v1.ISearchAttributes {
  const current = stored.description.raw.searchAttributes?.indexedFields;
  return { indexedFields: scheduleSearchAttributeFields(current, input, lastError) };
}

/**
 * The search attributes of a restored schedule (`generation-restore.ts`): the product's recomputed from the
 * restored input, and no last dispatch failure (the one stored may be the deleted generation's).
 */
export function restoredSearchAttributes(
  stored: StoredSchedule,
  input: ScheduledRunInput,
): temporal.api.common.v1.ISearchAttributes {
  const { [LAST_ERROR.name]: _other, ...current } =
    stored.description.raw.searchAttributes?.indexedFields ?? {};
  return { indexedFields: scheduleSearchAttributeFields(current, input, undefined) };
}

/** The schedule's note: why it will not fire, or its next occurrence. */
export function stateNote(compiled: CompiledSchedule): string {
  return compiled.reason ?? `Next occurrence ${compiled.nextOccurrenceAt?.toISOString() ?? 'unknown'}`;
}

/** Full schedule options (for create) of a run input and its compiled spec. */
export function buildScheduleOptions(
  input: ScheduledRunInput,
  compiled: CompiledSchedule,
  taskQueue: string,
  memo: ScheduleMemo,
): ScheduleOptions {
  return {
    scheduleId: input.scheduleId,
    spec: compiled.spec,
    action: {
      type: 'startWorkflow',
      workflowType: WorkflowType.ScheduledRun,
      // Temporal appends the occurrence instant: `<schedule id>:<generation>-2025-01-31T22:00:00Z`.
      workflowId: `${input.scheduleId}:${input.generation}`,
      taskQueue,
      args: [input],
      typedSearchAttributes: searchAttributesOf(input),
      staticSummary: `Runbook ${input.runbookUuid} fired by schedule "${input.reference}" (${input.solution})`,
    },
    policies: {
      // Each occurrence is its own run: none is dropped or delayed while an earlier one still retries.
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      catchupWindow: CATCHUP_WINDOW_MS,
      pauseOnFailure: false,
    },
    memo: memo as unknown as Record<string, unknown>,
    typedSearchAttributes: scheduleSearchAttributesOf(input),
    state: { paused: compiled.paused, note: stateNote(compiled) },
  };
}

/** Options of the hourly sweep schedule, which re-arms every runbook schedule's window. */
export function sweepScheduleOptions(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: SWEEP_SCHEDULE_ID,
    spec: { intervals: [{ every: SWEEP_EVERY_MS }] },
    action: {
      type: 'startWorkflow',
      workflowType: WorkflowType.Sweep,
      taskQueue,
      staticSummary: 'Re-arms the rolling windows of every runbook schedule',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: SWEEP_EVERY_MS },
  };
}

/** True when a memo is one the product wrote (schedules of others share the namespace). */
export function isProductMemo(memo: unknown): memo is ScheduleMemo {
  return typeof memo === 'object' && memo !== null && (memo as { product?: unknown }).product === PRODUCT;
}

/** The decoded schedule, or undefined when the description is not of one of the product's runbook schedules. */
export function storedScheduleOf(
  scheduleId: string,
  description: ScheduleDescription,
): StoredSchedule | undefined {
  const memo = description.memo;
  const action = description.action;
  if (!isProductMemo(memo) || action.type !== 'startWorkflow') return undefined;
  const input = action.args?.[0] as ScheduledRunInput | undefined;
  if (!input) return undefined;
  return {
    scheduleId,
    memo,
    input,
    paused: description.state.paused,
    note: description.state.note,
    lastError: description.typedSearchAttributes.get(LAST_ERROR),
    nextActionTimes: description.info.nextActionTimes,
    description,
  };
}

/** One calendar entry of a window, as the SDK decodes it: single values in `start`. */
interface CalendarEntry {
  readonly year: ReadonlyArray<{ readonly start: number }>;
  readonly month: ReadonlyArray<{ readonly start: number | string }>;
  readonly dayOfMonth: ReadonlyArray<{ readonly start: number }>;
  readonly hour: ReadonlyArray<{ readonly start: number }>;
  readonly minute: ReadonlyArray<{ readonly start: number }>;
  readonly second: ReadonlyArray<{ readonly start: number }>;
}

/** The last instant of a window's explicit calendar entries (UTC), or undefined when it has none. */
export function lastCalendarInstant(calendars: readonly CalendarEntry[] | undefined): Date | undefined {
  let last: number | undefined;
  for (const cal of calendars ?? []) {
    const y = cal.year[0]?.start;
    const mo = cal.month[0]?.start;
    const d = cal.dayOfMonth[0]?.start;
    if (y === undefined || mo === undefined || d === undefined) continue;
    const monthIndex = typeof mo === 'number' ? mo - 1 : (MONTHS as readonly string[]).indexOf(mo);
    const t = Date.UTC(
      y,
      monthIndex,
      d,
      cal.hour[0]?.start ?? 0,
      cal.minute[0]?.start ?? 0,
      cal.second[0]?.start ?? 0,
    );
    if (last === undefined || t > last) last = t;
  }
  return last === undefined ? undefined : new Date(last);
}
