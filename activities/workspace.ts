/**
 * Activities of workspace schedules: moving a schedule's window forward after a fire, and the sweep's share
 * (every workspace schedule re-armed, so a window that ran dry while no worker was up is refilled).
 */
import type { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { WindowOptions } from '../src/temporal/compile';
import { CATCHUP_WINDOW_MS } from '../src/temporal/schedule-options';
import { WorkspaceGateway } from '../src/workspace/gateway';

/** What the workspace activities need. */
export interface WorkspaceActivityDeps {
  readonly client: Client;
  readonly taskQueue: string;
  readonly window?: WindowOptions;
  /** The clock. @default `() => new Date()` */
  readonly now?: () => Date;
}

/** Builds the workspace activities registered by the worker. */
export function createWorkspaceActivities(deps: WorkspaceActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const gateway = new WorkspaceGateway(deps.client, deps.taskQueue, deps.window, now);
  return {
    /** Moves a workspace schedule's window past the occurrence that just fired. */
    async rearmWorkspaceSchedule(input: { scheduleId: string; after: string }): Promise<void> {
      const after = Math.max(new Date(input.after).getTime(), now().getTime() - CATCHUP_WINDOW_MS);
      await gateway.rearm(input.scheduleId, new Date(after));
    },

    /** Re-arms every workspace schedule from now (part of the hourly sweep). */
    async rearmWorkspaceSchedules(): Promise<{ rearmed: number; failed: number }> {
      let rearmed = 0;
      let failed = 0;
      for (const id of await gateway.listAllIds()) {
        Context.current().heartbeat(id);
        try {
          await gateway.rearm(id, now());
          rearmed++;
        } catch (err) {
          failed++;
          Context.current().log.warn('Re-arming a workspace schedule failed', {
            scheduleId: id,
            error: String(err),
          });
        }
      }
      return { rearmed, failed };
    },
  };
}
