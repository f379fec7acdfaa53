/**
 * Read-modify-write of one schedule that is never lost and never crosses into another generation: the one way
 * the product changes a schedule it has created (`schedule-gateway.ts` builds each change).
 *
 * - Never lost: Temporal's workflow-backed scheduler drops an update whose conflict token is stale with only a
 *   log line (no error reaches the client; the CHASM scheduler refuses it), so every write carries the token it
 *   read and a fresh `revision` in the run input, and is read back; a write that did not take is recomputed on
 *   the state as it is now and sent again, after a short random pause (`write-backoff.ts`).
 * - Never across generations: the conflict token starts again at 1 when a reference is deleted and created
 *   again, so a write that read the deleted schedule can land in the new one (bench/FAULTS.md, R6). A write is
 *   for the generation it first read; when the read-back shows another, the run input it put there is restored
 *   to that generation's own (`generation-restore.ts`) and the write reports the schedule gone. A write that
 *   reads a schedule overwritten that way restores it first.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import {
  compileScheduleOptions,
  encodeScheduleAction,
  encodeScheduleSpec,
} from '@temporalio/client/lib/schedule-helpers';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { keepingExclusions } from '../instances/exclusions';
import { compileSchedule, type WindowOptions } from './compile';
import { isOverwritten, overwrittenNote, restoreOwnGeneration } from './generation-restore';
import type { ScheduledRunInput } from './run-input';
import {
  buildScheduleOptions,
  restoredSearchAttributes,
  stateNote,
  withRearmFrom,
  writtenSearchAttributes,
  type StoredSchedule,
} from './schedule-options';
import { SerialWrites } from './serial-writes';
import { pauseAfterLostWrite } from './write-backoff';
import {
  GrpcStatus,
  grpcCodeOf,
  isConflict,
  ScheduleOverwrittenError,
  ScheduleWriteConflictError,
  translateTemporalError,
} from './temporal-errors';

/** How often a write is recomputed and sent again when a concurrent change won. */
export const MAX_WRITE_ATTEMPTS = 20;

/** A raw schedule write: what changes; everything else is kept as read. */
export interface ScheduleWrite {
  readonly input?: ScheduledRunInput;
  readonly spec?: temporal.api.schedule.v1.IScheduleSpec | null;
  readonly state?: temporal.api.schedule.v1.IScheduleState;
  readonly searchAttributes?: temporal.api.common.v1.ISearchAttributes;
  /** The whole action, rebuilt (a restore): the spec is then written as given, with no exclusion kept. */
  readonly action?: temporal.api.schedule.v1.IScheduleAction;
}

/** What a {@link ScheduleWriter} needs. */
export interface ScheduleWriterDeps {
  readonly client: Client;
  readonly taskQueue: string;
  readonly window: WindowOptions;
  readonly clock: () => Date;
  /** Reads the schedule (a describe), undefined when it is gone or not one of the product's. */
  readonly read: (scheduleId: string) => Promise<StoredSchedule | undefined>;
}

/** Writes of one process's schedules; writes of one writer to one schedule run one at a time. */
export class ScheduleWriter {
  private readonly serial = new SerialWrites();

  constructor(private readonly deps: ScheduleWriterDeps) {}

  /**
   * Sends `change(stored)` with the conflict token of the read and a fresh revision, reads the schedule back,
   * and if the revision is not there (a concurrent change won, and Temporal dropped this write silently)
   * recomputes the change on the state read back and sends it again.
   * @returns the schedule as read back after the write, the schedule as read when `change` had nothing to change,
   *   or undefined when the schedule is gone: deleted, deleted and created again since the write began, or (a
   *   `no_repeat` that fired) closed by Temporal.
   * @throws {@link ScheduleWriteConflictError} after {@link MAX_WRITE_ATTEMPTS} lost attempts.
   * @throws {@link ScheduleOverwrittenError} when the schedule's run input is another generation's and cannot be
   *   restored; the schedule is then paused, with a note that says why.
   */
  async write(
    scheduleId: string,
    change: (stored: StoredSchedule) => ScheduleWrite | undefined,
  ): Promise<StoredSchedule | undefined> {
    return await this.serial.run(scheduleId, async () => {
      // The generation this write is for: the first read's.
      let generation: string | undefined;
      // What the last read-back found: the next attempt writes on it rather than reading again.
      let known: StoredSchedule | undefined;
      // When this write landed in another generation's schedule: how many changes of that schedule it replaced.
      let lostChanges: number | undefined;
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const stored = known ?? (await this.deps.read(scheduleId));
        known = undefined;
        if (!stored) return undefined;
        generation ??= stored.memo.generation;
        if (isOverwritten(stored.memo, stored.input)) {
          known = await this.restore(stored, lostChanges);
          lostChanges = undefined;
          continue;
        }
        if (stored.memo.generation !== generation) return undefined;
        const write = change(stored);
        if (!write) return stored;
        const sent = await this.sendAndReadBack(stored, write);
        if (sent === 'gone') return undefined;
        if (sent === 'lost') {
          await pauseAfterLostWrite(attempt);
          continue;
        }
        const { after, revision } = sent;
        if (after.memo.generation === generation && after.input.revision === revision) return after;
        // Lost to a concurrent change, or taken by another generation's schedule: the next read sees which.
        // Taken there, it matched a token that schedule had reached by its own changes, which it now loses.
        if (after.input.revision === revision) {
          lostChanges = changesBefore(stored.description.raw.conflictToken);
        } else {
          await pauseAfterLostWrite(attempt);
        }
        known = after;
      }
      throw new ScheduleWriteConflictError(scheduleId, MAX_WRITE_ATTEMPTS);
    });
  }

  /**
   * Puts back the run input of the schedule's own generation (with its rule compiled afresh and the action
   * rebuilt as a create builds it) and reads the schedule back; one attempt, the caller's loop sees to the rest.
   * @throws {@link ScheduleOverwrittenError} (after pausing the schedule) when it cannot be restored.
   */
  private async restore(
    stored: StoredSchedule,
    lostChanges: number | undefined,
  ): Promise<StoredSchedule | undefined> {
    const restoration = restoreOwnGeneration(stored.memo, stored.input);
    const lost =
      lostChanges === undefined
        ? ''
        : lostChanges === 0
          ? '; none of its own changes was lost'
          : `; the ${lostChanges} change(s) it had taken since its create are lost`;
    warn(
      'unrestorable' in restoration ? 'SCHEDULE_UNRESTORABLE' : 'SCHEDULE_RESTORED',
      `Schedule ${stored.scheduleId} (generation ${stored.memo.generation}) held the run input of generation ` +
        `${stored.input.generation}, written by a stale write; ` +
        ('unrestorable' in restoration
          ? `it cannot be restored (${restoration.unrestorable}) and is paused`
          : 'restoring the run input it was created with') +
        lost,
    );
    if ('unrestorable' in restoration) {
      const note = overwrittenNote(restoration.unrestorable);
      const raw = stored.description.raw.schedule;
      if (!(raw?.state?.paused && raw.state.notes === note)) {
        await this.sendAndReadBack(stored, { state: { ...raw?.state, paused: true, notes: note } });
      }
      throw new ScheduleOverwrittenError(stored.scheduleId, restoration.unrestorable);
    }
    const compiled = compileSchedule(restoration.restored.recurrence, this.deps.clock(), this.deps.window);
    const input = withRearmFrom(restoration.restored, compiled);
    const { action } = compileScheduleOptions(
      buildScheduleOptions(input, compiled, this.deps.taskQueue, stored.memo),
    );
    const header = stored.description.raw.schedule?.action?.startWorkflow?.header?.fields ?? {};
    const { client } = this.deps;
    const write: ScheduleWrite = {
      input,
      spec: encodeScheduleSpec(compiled.spec),
      state: { paused: compiled.paused, notes: stateNote(compiled) },
      action: await encodeScheduleAction(
        client.options.loadedDataConverter,
        client.options.namespace,
        action,
        header,
      ),
      searchAttributes: restoredSearchAttributes(stored, input),
    };
    const sent = await this.sendAndReadBack(stored, write);
    if (sent === 'gone') return undefined;
    return sent === 'lost' ? await this.deps.read(stored.scheduleId) : sent.after;
  }

  /** Sends one write; then the schedule as read back and the revision sent, or why there is none to read. */
  private async sendAndReadBack(
    stored: StoredSchedule,
    write: ScheduleWrite,
  ): Promise<'gone' | 'lost' | { readonly after: StoredSchedule; readonly revision: string }> {
    const revision = randomUUID();
    const sent = await this.send(stored, write, revision);
    if (sent === 'gone') return 'gone';
    if (sent === 'conflict') return 'lost';
    const after = await this.deps.read(stored.scheduleId);
    return after ? { after, revision } : 'gone';
  }

  private async send(
    stored: StoredSchedule,
    write: ScheduleWrite,
    revision: string,
  ): Promise<'sent' | 'conflict' | 'gone'> {
    const { client } = this.deps;
    const raw = stored.description.raw.schedule ?? {};
    const given = write.input ?? stored.input;
    // A write that keeps the spec keeps its re-arm point, which a caller's fresh run input does not carry.
    const rearmFrom =
      write.spec === undefined && given.rearmFrom === undefined ? stored.input.rearmFrom : given.rearmFrom;
    const input: ScheduledRunInput = {
      ...given,
      revision,
      ...(rearmFrom !== undefined ? { rearmFrom } : {}),
    };
    const payloads = await encodeToPayloads(client.options.loadedDataConverter, input);
    // A new run input may carry a new rule: the listing's copy of it follows.
    const searchAttributes =
      write.searchAttributes ?? (write.input ? writtenSearchAttributes(stored, input) : undefined);
    const action = write.action ?? raw.action;
    const spec =
      write.spec === undefined
        ? raw.spec
        : write.action
          ? write.spec
          : keepingExclusions(write.spec, raw.spec);
    const schedule: temporal.api.schedule.v1.ISchedule = {
      ...raw,
      spec,
      state: write.state ?? raw.state,
      action: { ...action, startWorkflow: { ...action?.startWorkflow, input: { payloads: payloads ?? [] } } },
    };
    try {
      await client.workflowService.updateSchedule({
        namespace: client.options.namespace,
        scheduleId: stored.scheduleId,
        schedule,
        conflictToken: stored.description.raw.conflictToken,
        identity: client.options.identity,
        requestId: randomUUID(),
        ...(searchAttributes ? { searchAttributes } : {}),
      });
      return 'sent';
    } catch (err) {
      // A server that refuses a stale token (rather than dropping the write) says so: recompute and retry.
      if (isConflict(err)) return 'conflict';
      // A schedule with no action left (a no_repeat that fired) is closed by Temporal: nothing to change.
      if (grpcCodeOf(err) === GrpcStatus.NotFound) return 'gone';
      throw translateTemporalError(err, stored.scheduleId);
    }
  }
}

/**
 * How many changes a schedule had taken when it was read: Temporal's conflict token is 1 at create and counts
 * each update, pause and resume (8 bytes: big-endian in the workflow-backed scheduler, little-endian in the
 * CHASM scheduler, so the smaller reading is the count). Undefined when the token is not of that form.
 */
export function changesBefore(token: Uint8Array | null | undefined): number | undefined {
  if (!token || token.length !== 8) return undefined;
  const bytes = Buffer.from(token);
  const count = [bytes.readBigUInt64BE(), bytes.readBigUInt64LE()].reduce((a, b) => (a < b ? a : b));
  return Number(count) - 1;
}

/** An operator's warning, printed on stderr as a Node process warning of type `RunbookScheduleWarning`. */
function warn(code: string, message: string): void {
  process.emitWarning(message, { type: 'RunbookScheduleWarning', code });
}
