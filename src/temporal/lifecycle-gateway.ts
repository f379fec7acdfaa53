/**
 * The schedule gateway of the schedule operations (FEATURES.md B1): {@link TemporalScheduleGateway} plus the one
 * write they need, the run input (their bookkeeping, the values in force) together with the pause state or a
 * spec compiled afresh, in one write that is never lost.
 */
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { compileSchedule, type CompiledSchedule } from './compile';
import type { ScheduledRunInput } from './run-input';
import { TemporalScheduleGateway, type StoredSchedule } from './schedule-gateway';
import { stateNote, withRearmFrom } from './schedule-options';

/**
 * A schedule operation's change (`src/operations/`): the new run input and, optionally, the pause state and
 * note; or `restartAt`, to compile the spec afresh from that instant and fire as its rule says from there
 * (Start: nothing of a stopped period is caught up).
 */
export interface LifecycleChange {
  readonly input: ScheduledRunInput;
  readonly paused?: boolean;
  readonly note?: string;
  readonly restartAt?: Date;
}

/** {@link TemporalScheduleGateway} with {@link LifecycleScheduleGateway.modify}. */
export class LifecycleScheduleGateway extends TemporalScheduleGateway {
  /**
   * Read-modify-write of a schedule's run input with its pause state, never lost (see `TemporalScheduleGateway.write`): `change`
   * gets the schedule as stored now (again after a lost write) and returns the change, or undefined for none; it
   * may throw to refuse, and nothing is written.
   * @returns the schedule as stored afterwards, or undefined when it is gone.
   */
  async modify(
    scheduleId: string,
    change: (stored: StoredSchedule) => LifecycleChange | undefined,
  ): Promise<StoredSchedule | undefined> {
    let restarted: { compiled: CompiledSchedule; at: Date } | undefined;
    const written = await this.write(scheduleId, (stored) => {
      const next = change(stored);
      if (!next) return undefined;
      const state = stored.description.raw.schedule?.state;
      if (next.restartAt) {
        const compiled = compileSchedule(next.input.recurrence, next.restartAt, this.window);
        restarted = { compiled, at: next.restartAt };
        const notes = stateNote(compiled);
        return {
          input: withRearmFrom(next.input, compiled),
          spec: encodeScheduleSpec(compiled.spec),
          state: { ...state, paused: compiled.paused, notes },
        };
      }
      if (next.paused === undefined) return { input: next.input };
      return {
        input: next.input,
        state: { ...state, paused: next.paused, notes: next.note ?? state?.notes ?? null },
      };
    });
    if (written && restarted)
      await this.fireInstantsPassedWhileWriting(scheduleId, restarted.compiled, restarted.at);
    return written;
  }
}
