/**
 * The schedules a fault script watches: a Dynamic Scheduler runbook on the scene's receiver and `count` minutely
 * schedules, the i-th first firing `offsetS * i` seconds after the others, created through the product's
 * service (the same code the HTTP API and CLI call). Answers what each one should have fired.
 */
import { randomUUID } from 'node:crypto';
import { createApp, type App } from '../../src/app';
import { TriggerTemplate } from '../../src/catalog/model';
import { loadSettings } from '../../src/config';
import type { Scene } from './scene';
import { instantsBetween } from './scene';

/** One watched schedule: its reference, the receiver path its runbook posts to, and its first instant. */
export interface Watched {
  readonly reference: string;
  readonly path: string;
  readonly firstMs: number;
}

/** The product, wired in this process from the scene's environment (no worker: the scene runs those). */
export async function productOf(scene: Scene): Promise<App> {
  return createApp(loadSettings(scene.env));
}

const MINUTE_MS = 60_000;

/** A minutely rule (UTC) whose first occurrence is `at`, in the Create Schedule input's form. */
export function minutelyFrom(at: Date) {
  const iso = at.toISOString();
  return {
    frequency: 'minutely',
    interval: 1,
    time_zone: 'UTC',
    start_date: iso.slice(0, 10),
    time_of_day: iso.slice(11, 19),
  };
}

/** Creates `count` minutely schedules whose first fires are `leadS` seconds from now, `offsetS` apart. */
export async function createMinutely(
  app: App,
  scene: Scene,
  { count, leadS, offsetS }: { count: number; leadS: number; offsetS: number },
): Promise<Watched[]> {
  const first = Math.ceil((Date.now() + leadS * 1000) / 1000) * 1000;
  const watched: Watched[] = [];
  for (let i = 0; i < count; i++) {
    const uuid = randomUUID();
    const path = `/runbook/${i}`;
    await app.service.registerRunbook({
      uuid,
      solution: scene.solution,
      name: `fault runbook ${i}`,
      trigger: { template: TriggerTemplate.DynamicScheduler },
      target: { kind: 'http', url: `${scene.receiver.url}${path}` },
    });
    const at = new Date(first + ((i * offsetS * 1000) % MINUTE_MS));
    const reference = `minutely-${i}`;
    await app.service.createSchedule(scene.solution, {
      runbook_uuid: uuid,
      schedule_reference: reference,
      schedule: minutelyFrom(at),
    });
    watched.push({ reference, path, firstMs: at.getTime() });
  }
  return watched;
}

/** What each watched schedule should have fired from its first instant up to `untilMs`. */
export function expectedOf(watched: readonly Watched[], untilMs: number): Map<string, string[]> {
  return new Map(watched.map((w) => [w.path, instantsBetween(w.firstMs, MINUTE_MS, w.firstMs, untilMs)]));
}

/** Deletes the watched schedules (so nothing fires after the script). */
export async function deleteAll(app: App, scene: Scene, watched: readonly Watched[]): Promise<void> {
  for (const w of watched) {
    await app.service
      .deleteSchedule(scene.solution, { schedule_reference: w.reference })
      .catch(() => undefined);
  }
}
