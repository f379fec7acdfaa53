/**
 * A schedule whose run input is of another generation than its memo, and the run input it should have (pure).
 *
 * Temporal's conflict token does not tell a schedule's generations apart: it starts again at 1 when a deleted
 * reference is created again, so a read-modify-write that read the deleted schedule can land in the new one,
 * and Temporal takes it (bench/FAULTS.md, R6). The memo, which no update changes, still names the schedule's own
 * generation; the run input is then the deleted one's. The write that lands there (`schedule-writes.ts`), or any
 * later write of the schedule, puts back the run input the memo recorded at create ({@link createdWithOf}).
 */
import { createHash } from 'node:crypto';
import type { CreatedWith, ScheduleMemo, ScheduledRunInput } from './run-input';

/** What the memo records of a new schedule's run input; `bodyInMemo` when the memo carries the body itself. */
export function createdWithOf(input: ScheduledRunInput, bodyInMemo: boolean): CreatedWith {
  return {
    recurrence: input.recurrence,
    retry: input.retry,
    targetSha256: canonicalSha256(input.target),
    ...(!bodyInMemo && input.requestBody !== undefined
      ? { requestBodySha256: canonicalSha256(input.requestBody) }
      : {}),
    ...(input.jobContextIdentifierPath !== undefined
      ? { jobContextIdentifierPath: input.jobContextIdentifierPath }
      : {}),
    ...(input.businessIdentifierKeys !== undefined
      ? { businessIdentifierKeys: input.businessIdentifierKeys }
      : {}),
    ...(input.parameters !== undefined ? { parameters: input.parameters } : {}),
    ...(input.submittedBy !== undefined ? { submittedBy: input.submittedBy } : {}),
  };
}

/** True when the run input is not of the schedule's own generation (a stale write of a deleted one took). */
export function isOverwritten(memo: ScheduleMemo, input: ScheduledRunInput): boolean {
  return input.generation !== memo.generation;
}

/** The run input a schedule is restored to, or why it cannot be. */
export type Restoration = { readonly restored: ScheduledRunInput } | { readonly unrestorable: string };

/**
 * The run input of the memo's generation, as created: identity, rule, retry policy, values in force and
 * submitting user from the memo; the target, and a body too large for the memo, from the overwritten input when
 * their digests match the memo's. What the generation's own writes changed before it was overwritten (a later
 * rule, lifecycle bookkeeping) is not recorded anywhere, so it is not restored.
 */
export function restoreOwnGeneration(memo: ScheduleMemo, overwritten: ScheduledRunInput): Restoration {
  const created = memo.createdWith;
  if (!isCreatedWith(created)) {
    return { unrestorable: 'its memo does not record what it was created with' };
  }
  if (canonicalSha256(overwritten.target) !== created.targetSha256) {
    return { unrestorable: 'the target it was created with is not the one written over it' };
  }
  let requestBody: ScheduledRunInput['requestBody'];
  if (memo.requestBodyInMemo === 'inline') {
    requestBody = memo.requestBody;
  } else if (memo.requestBodyInMemo === 'too_large') {
    const same =
      overwritten.requestBody !== undefined &&
      canonicalSha256(overwritten.requestBody) === created.requestBodySha256;
    if (!same) return { unrestorable: 'the request body it was created with is not the one written over it' };
    requestBody = overwritten.requestBody;
  } else {
    return { unrestorable: 'its memo does not record its request body' };
  }
  return {
    restored: {
      scheduleId: overwritten.scheduleId,
      kind: memo.kind,
      solution: memo.solution,
      reference: memo.reference,
      runbookUuid: memo.runbookUuid,
      generation: memo.generation,
      recurrence: created.recurrence,
      ...(requestBody !== undefined ? { requestBody } : {}),
      target: overwritten.target,
      ...(created.jobContextIdentifierPath !== undefined
        ? { jobContextIdentifierPath: created.jobContextIdentifierPath }
        : {}),
      ...(created.businessIdentifierKeys !== undefined
        ? { businessIdentifierKeys: created.businessIdentifierKeys }
        : {}),
      retry: created.retry,
      ...(created.parameters !== undefined ? { parameters: created.parameters } : {}),
      ...(created.submittedBy !== undefined ? { submittedBy: created.submittedBy } : {}),
    },
  };
}

/** The note of a schedule paused because its run input could not be restored. */
export function overwrittenNote(reason: string): string {
  return (
    'Paused: its run input was overwritten by a write meant for a deleted schedule of the same reference, and ' +
    `cannot be restored (${reason}). Delete it and create it again.`
  );
}

/** SHA-256 (hex) of a JSON value with its object keys sorted, so equal values digest equally. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// The memo comes back from Temporal: only its shape is trusted, not its type.
function isCreatedWith(value: unknown): value is CreatedWith {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof CreatedWith, unknown>>;
  return (
    typeof v.targetSha256 === 'string' &&
    typeof v.recurrence === 'object' &&
    v.recurrence !== null &&
    typeof v.retry === 'object' &&
    v.retry !== null
  );
}
