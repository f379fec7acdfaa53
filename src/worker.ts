/**
 * The scheduler worker: runs the dispatch workflows and activities, keeps the periodic sweep schedule in place,
 * and sweeps once on start so windows that ran dry while no worker was up are re-armed (and backfilled).
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Settings } from './config';
import type { EgressPolicy } from './dispatch/egress';
import { loadEgressPolicy } from './dispatch/egress-host';
import { workerOptionsOf } from './settings/worker-tuning';
import { payloadCodecsOf } from './temporal/codec';
import type { WindowOptions } from './temporal/compile';
import { TemporalScheduleGateway } from './temporal/schedule-gateway';

/** Options of {@link createSchedulerWorker}. */
export interface SchedulerWorkerOptions {
  readonly settings: Settings;
  readonly client: Client;
  readonly connection: NativeConnection;
  readonly window?: WindowOptions;
  /**
   * Where HTTP dispatch may connect. @default built from `settings` (`egressAllow`, and the Temporal, Web UI and
   * API addresses, which stay denied) by `loadEgressPolicy`
   */
  readonly egressPolicy?: EgressPolicy;
  /** Skip creating the hourly sweep schedule (tests that count schedules). @default false */
  readonly withoutSweepSchedule?: boolean;
}

/** Creates (does not run) the worker on the configured task queue, with the settings' payload codec. */
export async function createSchedulerWorker(options: SchedulerWorkerOptions): Promise<Worker> {
  const { settings, client, connection } = options;
  const egressPolicy = options.egressPolicy ?? (await loadEgressPolicy(settings));
  return await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    ...workerOptionsOf(settings.worker),
    workflowsPath: path.join(__dirname, '..', 'workflows'),
    // The client's codec: the worker reads run and activity inputs in clear and writes their results encrypted.
    dataConverter: { payloadCodecs: payloadCodecsOf(settings) },
    activities: createActivities({
      client,
      taskQueue: settings.taskQueue,
      egressPolicy,
      ...(options.window ? { window: options.window } : {}),
    }),
  });
}

/** Creates the sweep schedule if missing (through the schedule gateway), then triggers one sweep now. */
export async function ensureSweepSchedule(client: Client, settings: Settings): Promise<void> {
  await new TemporalScheduleGateway(client, settings.taskQueue).ensureSweepSchedule();
}
