/**
 * The worker's activity entry point. Activities that talk to Temporal itself (re-arming schedules) need a
 * client, and the HTTP dispatch needs the egress policy, so they are built by {@link createActivities}.
 */
import type { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { WindowOptions } from '../src/temporal/compile';
import { LifecycleScheduleGateway } from '../src/temporal/lifecycle-gateway';
import { CATCHUP_WINDOW_MS } from '../src/temporal/schedule-options';
import type { EgressPolicy } from '../src/dispatch/egress';
import { createDispatchHttp, type HttpDispatchOptions } from './dispatch-http';
import { createWorkspaceActivities } from './workspace';
import { createScheduleOperationActivities } from './schedule-operations';

export type { HttpDispatchInput } from './dispatch-http';

/** What the activities need from the worker process. */
export interface ActivityDeps {
  readonly client: Client;
  readonly taskQueue: string;
  readonly window?: WindowOptions;
  /** Where HTTP dispatch may connect (see `buildEgressPolicy`). */
  readonly egressPolicy: EgressPolicy;
  /** Bounds of one HTTP dispatch attempt, shortened by tests. @default 30 s deadline, 64 KiB read */
  readonly dispatch?: Omit<HttpDispatchOptions, 'policy'>;
  /** The clock; a parameter so tests can pin it. @default `() => new Date()` */
  readonly now?: () => Date;
}

/** Builds the activity implementations registered by the worker. */
export function createActivities(deps: ActivityDeps) {
  const gateway = new LifecycleScheduleGateway(deps.client, deps.taskQueue, deps.window);
  const now = deps.now ?? (() => new Date());
  const workspace = createWorkspaceActivities(deps);
  return {
    ...workspace,
    dispatchHttp: createDispatchHttp({ ...deps.dispatch, policy: deps.egressPolicy }),
    ...createScheduleOperationActivities({ client: deps.client, taskQueue: deps.taskQueue, gateway, now }),

    /** Moves a schedule's window past the occurrence that just fired. */
    async rearmSchedule(input: { scheduleId: string; after: string }): Promise<{ windowEnd: string | null }> {
      const clock = now();
      // Keep every instant after the one that fired; a late backfilled run must not re-open a long past.
      const after = new Date(Math.max(new Date(input.after).getTime(), clock.getTime() - CATCHUP_WINDOW_MS));
      const compiled = await gateway.rearm(input.scheduleId, after, clock);
      return { windowEnd: compiled?.windowEnd?.toISOString() ?? null };
    },

    /** Records `Runbook execution failed with status <status>` on the schedule. */
    async recordDispatchFailure(input: { scheduleId: string; message: string }): Promise<void> {
      await gateway.recordLastError(input.scheduleId, input.message);
    },

    /** Re-arms every schedule of the product, workspace schedules included (the periodic sweep). */
    async rearmAllSchedules(): Promise<{ rearmed: number; failed: number }> {
      const ids = await gateway.listIds();
      let rearmed = 0;
      let failed = 0;
      for (const id of ids) {
        Context.current().heartbeat(id);
        try {
          await gateway.rearm(id, now(), now());
          rearmed++;
        } catch (err) {
          failed++;
          Context.current().log.warn('Re-arming a schedule failed', { scheduleId: id, error: String(err) });
        }
      }
      const ws = await workspace.rearmWorkspaceSchedules();
      return { rearmed: rearmed + ws.rearmed, failed: failed + ws.failed };
    },
  };
}
