/**
 * What a listing of schedules shows, read from Temporal's list (visibility) alone, without a describe per
 * schedule (pure): the memo carries the immutable facts and the request body (set at create, never changed), the
 * `RunbookRecurrence` search attribute the rule (search attributes are the part of a schedule an update can
 * rewrite: Temporal refuses memo updates on workflow-backed schedules), and the list entry's own info the pause
 * state, note and next action times.
 *
 * A schedule written before these fields existed, or whose body or rule is too large to copy there, lacks one:
 * {@link listedFromEntry} says so (undefined), and the gateway describes that schedule alone.
 */
import type { TypedSearchAttributes } from '@temporalio/common';
import type { JsonObject } from '../dispatch/payload';
import type { Recurrence } from '../recurrence';
import type { ScheduleMemo, ScheduledRunInput } from './run-input';
import type { StoredSchedule } from './schedule-options';
import { LAST_ERROR, MAX_RECURRENCE_ATTRIBUTE_BYTES, RECURRENCE } from './search-attributes';

/** Largest request body copied into the memo, in bytes of JSON; a larger one is read by a describe. */
export const MAX_MEMO_BODY_BYTES = 2048;

/** A schedule as a listing shows it: what a `ScheduleView` is made of. */
export interface ListedSchedule {
  readonly scheduleId: string;
  readonly memo: ScheduleMemo;
  readonly recurrence: Recurrence;
  readonly requestBody: JsonObject | undefined;
  readonly paused: boolean;
  readonly note: string | undefined;
  readonly lastError: string | undefined;
  readonly nextActionTimes: Date[];
}

/** One entry of Temporal's list, decoded (memo, search attributes and list info). */
export interface ScheduleListEntry {
  readonly scheduleId: string;
  readonly memo: unknown;
  readonly searchAttributes: TypedSearchAttributes;
  readonly paused: boolean;
  readonly note: string | undefined;
  readonly nextActionTimes: Date[];
}

/**
 * The memo's copy of the request body: the body when its JSON is at most {@link MAX_MEMO_BODY_BYTES} (none when
 * the schedule has none), else only the mark that it was too large.
 */
export function memoRequestBody(
  input: Pick<ScheduledRunInput, 'requestBody'>,
): Pick<ScheduleMemo, 'requestBodyInMemo' | 'requestBody'> {
  if (input.requestBody === undefined) return { requestBodyInMemo: 'inline' };
  const bytes = Buffer.byteLength(JSON.stringify(input.requestBody), 'utf8');
  return bytes <= MAX_MEMO_BODY_BYTES
    ? { requestBodyInMemo: 'inline', requestBody: input.requestBody }
    : { requestBodyInMemo: 'too_large' };
}

/** The `RunbookRecurrence` value of a rule, or undefined when its JSON is longer than one value may be. */
export function recurrenceAttribute(recurrence: Recurrence): string | undefined {
  const json = JSON.stringify(recurrence);
  return Buffer.byteLength(json, 'utf8') <= MAX_RECURRENCE_ATTRIBUTE_BYTES ? json : undefined;
}

/** The rule of a `RunbookRecurrence` value, or undefined when it is absent or not a rule the product wrote. */
function recurrenceOf(value: string | undefined): Recurrence | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    const isRule =
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      typeof (parsed as { frequency?: unknown }).frequency === 'string';
    return isRule ? (parsed as Recurrence) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The listed schedule of an entry of the solution, or undefined when its memo or search attributes lack what
 * the listing shows (a schedule written before they were copied there): the caller describes it instead.
 */
export function listedFromEntry(entry: ScheduleListEntry): ListedSchedule | undefined {
  const memo = entry.memo as ScheduleMemo;
  const recurrence = recurrenceOf(entry.searchAttributes.get(RECURRENCE));
  const body = memo.requestBody;
  const bodyOk = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body));
  if (!recurrence || memo.requestBodyInMemo !== 'inline' || !bodyOk) return undefined;
  return {
    scheduleId: entry.scheduleId,
    memo,
    recurrence,
    requestBody: memo.requestBody,
    paused: entry.paused,
    note: entry.note,
    lastError: entry.searchAttributes.get(LAST_ERROR),
    nextActionTimes: entry.nextActionTimes,
  };
}

/** A described schedule as a listing shows it. */
export function listedFromStored(stored: StoredSchedule): ListedSchedule {
  return {
    scheduleId: stored.scheduleId,
    memo: stored.memo,
    recurrence: stored.input.recurrence,
    requestBody: stored.input.requestBody,
    paused: stored.paused,
    note: stored.note,
    lastError: stored.lastError,
    nextActionTimes: stored.nextActionTimes,
  };
}
