/**
 * How a workspace schedule's write that did not take reaches the caller: as the action's conflict, the same for
 * an edit (`service.ts`) and a sync (`sync.ts`).
 */
import { ActionErrorCode, ScheduleActionError } from '../connector/errors';
import { ScheduleOverwrittenError, ScheduleWriteConflictError } from '../temporal/temporal-errors';
import { WorkspaceMessages } from './errors';

/**
 * A gateway write, its failures to take as the action's conflict: concurrent changes kept winning
 * (`ScheduleWriteConflictError`), or the schedule holds a deleted generation's record and could not be restored
 * (`ScheduleOverwrittenError`, the schedule is then paused). The cause travels in `details`.
 */
export async function writeOrConflict<T>(key: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ScheduleWriteConflictError || err instanceof ScheduleOverwrittenError) {
      throw new ScheduleActionError(WorkspaceMessages.notSaved(key), ActionErrorCode.Conflict, [err.message]);
    }
    throw err;
  }
}
