/**
 * The schedule operations the connector needs, as an interface: {@link TemporalScheduleGateway} implements them on
 * Temporal (`schedule-gateway.ts`); unit tests of the connector implement them in memory.
 */
import type { Recurrence } from '../recurrence';
import type { CompiledSchedule } from './compile';
import type { ScheduleMemo, ScheduledRunInput } from './run-input';
import type { RunView } from './runs';
import type { SchedulePage, SchedulePageRequest } from './schedule-list';
import type { StoredSchedule } from './schedule-options';

/**
 * The schedule operations the connector needs. {@link TemporalScheduleGateway} implements them on Temporal; unit
 * tests of the connector implement them in memory.
 */
export interface ScheduleGateway {
  /**
   * Creates the schedule; atomic on the schedule id.
   * @throws {@link ScheduleAlreadyExistsError} when the id is taken.
   */
  create(input: ScheduledRunInput, memo: ScheduleMemo, now: Date): Promise<CompiledSchedule>;
  /** The decoded schedule, or undefined when none exists (or it is not one of ours). */
  get(scheduleId: string): Promise<StoredSchedule | undefined>;
  /**
   * Replaces the rule of one of the solution's schedules (Update Schedule: a full replacement of the rule), keeping
   * what its runs are given as it is stored when the write is made; resolves once the change is in.
   * @throws {@link ScheduleNotFoundError} when it does not exist, or is another solution's.
   */
  replace(scheduleId: string, solution: string, recurrence: Recurrence, now: Date): Promise<CompiledSchedule>;
  /**
   * Replaces only what each run is given (target, job context path), keeping spec and state.
   * @throws {@link ScheduleNotFoundError} when it no longer exists.
   */
  updateRunInput(input: ScheduledRunInput): Promise<void>;
  /** Deletes the schedule; its past runs stay in the namespace's history. False when absent. */
  delete(scheduleId: string): Promise<boolean>;
  /** Pauses (a user pause: the note says so). @throws {@link ScheduleNotFoundError} */
  pause(scheduleId: string, note?: string): Promise<void>;
  /** Resumes a paused schedule. @throws {@link ScheduleNotFoundError} */
  resume(scheduleId: string, note?: string): Promise<void>;
  /** Fires now, outside the cadence. @throws {@link ScheduleNotFoundError} */
  trigger(scheduleId: string): Promise<void>;
  /** The schedules of one solution, found through visibility (eventually consistent). */
  listSchedules(solution: string): Promise<StoredSchedule[]>;
  /**
   * One page of the solution's schedules, from Temporal's list and each schedule's memo and search attributes
   * (eventually consistent); only schedules whose memo lacks a listed field are described.
   * @throws {@link PageTokenRejectedError} when Temporal refuses the page token.
   */
  listSchedulePage(solution: string, request: SchedulePageRequest): Promise<SchedulePage>;
  /** How many schedules one solution has, through visibility (eventually consistent). */
  countSchedules(solution: string): Promise<number>;
  /** The most recent runs of a reference in a solution, newest first, also of deleted schedules. */
  listRuns(solution: string, reference: string, limit: number): Promise<RunView[]>;
  /** Cancels the still running runs of a reference in a solution; returns how many. */
  cancelRunningRuns(solution: string, reference: string): Promise<number>;
}
