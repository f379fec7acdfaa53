/**
 * Helpers of the generation-race tests (`recreated-reference.test.ts`, `workspace-recreated-key.test.ts`): a
 * gateway whose next read lets a race run before the write built on it is sent, and the overwrite a stale write
 * that took leaves behind.
 */
import { randomUUID } from 'node:crypto';
import type { Client, ScheduleDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/** A gateway class: its `get` reads one schedule. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any constructor arguments
type GatewayClass<S> = new (...args: any[]) => { get(scheduleId: string): Promise<S | undefined> };

/** `Base` whose next read runs `race` after reading, before the write built on that read is sent. */
export function racing<S, B extends GatewayClass<S>>(Base: B) {
  return class Racing extends Base {
    race: (() => Promise<void>) | undefined;

    override async get(scheduleId: string): Promise<S | undefined> {
      const stored = await super.get(scheduleId);
      const race = this.race;
      this.race = undefined;
      if (race) await race();
      return stored;
    }
  };
}

/** Writes `old`'s action into the schedule as it is now, as a stale write that took does. */
export async function overwriteAction(
  client: Client,
  scheduleId: string,
  current: ScheduleDescription,
  old: ScheduleDescription,
): Promise<void> {
  const schedule: temporal.api.schedule.v1.ISchedule = {
    ...current.raw.schedule,
    action: old.raw.schedule?.action ?? null,
  };
  await client.workflowService.updateSchedule({
    namespace: client.options.namespace,
    scheduleId,
    schedule,
    conflictToken: current.raw.conflictToken,
    requestId: randomUUID(),
  });
}
