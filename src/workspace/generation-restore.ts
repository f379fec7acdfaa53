/**
 * A workspace schedule whose record is another generation's, and the record it should have (pure): the
 * workspace side of `../temporal/generation-restore.ts`.
 *
 * Temporal's conflict token starts again at 1 when a key is deleted and created again, so a write that read the
 * deleted schedule can land in the new one, and Temporal takes it (bench/FAULTS.md, R6). The memo, which no update
 * changes, names the schedule's own generation and keeps the record it was created with; the gateway's writes put
 * that record back (`gateway.ts`). The jobs' targets, whose headers may hold secrets, are kept in the memo only as
 * SHA-256 digests (as the connector's are), and taken from the overwritten record where they match.
 */
import { canonicalSha256 } from '../temporal/generation-restore';
import type { WorkspaceJob, WorkspaceScheduleRecord } from './run-input';
import type { WorkspaceMemo } from './schedule-options';

/** A job as the memo keeps it: its target as a digest. */
export type MemoJob = Omit<WorkspaceJob, 'target'> & { readonly targetSha256: string };

/** A record as the memo keeps it (`WorkspaceMemo.createdWith`): no revision, jobs as {@link MemoJob}s. */
export type MemoRecord = Omit<WorkspaceScheduleRecord, 'jobs' | 'revision'> & {
  readonly jobs: readonly MemoJob[];
};

/**
 * Largest record (JSON bytes) the memo keeps a copy of: a record past it (hundreds of jobs, a large request body)
 * is not copied, and a schedule of it that a stale write overwrote is paused rather than restored.
 */
export const MEMO_RECORD_MAX_BYTES = 32 * 1024;

/** The copy of a new schedule's record its memo keeps, or undefined when it is past {@link MEMO_RECORD_MAX_BYTES}. */
export function memoRecordOf(record: WorkspaceScheduleRecord): MemoRecord | undefined {
  const { revision: _revision, jobs, ...rest } = record;
  const kept: MemoRecord = {
    ...rest,
    jobs: jobs.map(({ target, ...job }) => ({ ...job, targetSha256: canonicalSha256(target) })),
  };
  return Buffer.byteLength(JSON.stringify(kept), 'utf8') <= MEMO_RECORD_MAX_BYTES ? kept : undefined;
}

/** True when the schedule's record is not of its own generation (a stale write of a deleted one took). */
export function isOverwrittenRecord(memo: WorkspaceMemo, record: WorkspaceScheduleRecord): boolean {
  return record.generation !== memo.generation;
}

/** The record a schedule is restored to, or why it cannot be. */
export type RecordRestoration =
  { readonly restored: WorkspaceScheduleRecord } | { readonly unrestorable: string };

/**
 * The record the schedule was created with: from its memo, each job's target from the overwritten record's job of
 * the same digest. What its own writes changed before it was overwritten (a new cadence, an inactivation) is
 * recorded nowhere, so it is not restored.
 */
export function restoreOwnRecord(
  memo: WorkspaceMemo,
  overwritten: WorkspaceScheduleRecord,
): RecordRestoration {
  const created = memo.createdWith;
  if (!isRecordOf(created, memo)) {
    return { unrestorable: 'its memo does not record what it was created with' };
  }
  const targets = new Map(overwritten.jobs.map((job) => [canonicalSha256(job.target), job.target]));
  const jobs: WorkspaceJob[] = [];
  for (const [i, { targetSha256, ...job }] of created.jobs.entries()) {
    const target = targets.get(targetSha256);
    if (!target) {
      return {
        unrestorable: `the target of job ${i + 1} it was created with is not in the record written over it`,
      };
    }
    jobs.push({ ...job, target });
  }
  return { restored: { ...created, jobs } };
}

/** The note of a workspace schedule paused because its record could not be restored. */
export function overwrittenRecordNote(reason: string): string {
  return (
    'Paused: its record was overwritten by a write meant for a deleted schedule of the same key, and cannot be ' +
    `restored (${reason}). Delete it and add it again.`
  );
}

// The memo comes back from Temporal: only its shape is trusted, not its type.
function isRecordOf(value: unknown, memo: WorkspaceMemo): value is MemoRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof MemoRecord, unknown>>;
  return (
    v.generation === memo.generation &&
    v.solution === memo.solution &&
    v.key === memo.key &&
    typeof v.recurrence === 'object' &&
    v.recurrence !== null &&
    Array.isArray(v.jobs) &&
    v.jobs.every(
      (job: unknown) => typeof (job as { targetSha256?: unknown } | null)?.targetSha256 === 'string',
    ) &&
    typeof v.cadence === 'object' &&
    v.cadence !== null
  );
}
