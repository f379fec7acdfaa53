/**
 * A running scheduler for integration tests: the real worker on a test-unique task queue, the service with a
 * temporary catalog, against the dev server started by global setup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { createApp, type App } from '../../src/app';
import type { Settings } from '../../src/config';
import { SchedulerService } from '../../src/connector/scheduler-service';
import type { WindowOptions } from '../../src/temporal/compile';
import { connectWorker } from '../../src/temporal/connection';
import type { DispatchRetryPolicy } from '../../src/temporal/run-input';
import { TemporalScheduleGateway } from '../../src/temporal/schedule-gateway';
import { createSchedulerWorker } from '../../src/worker';
import { testSettings, uniqueId } from './harness';

/** A scheduler with its worker running; `close()` in `afterAll`. */
export interface SchedulerFixture {
  readonly app: App;
  readonly settings: Settings;
  readonly worker: Worker;
  close(): Promise<void>;
}

/** Options of {@link startScheduler}. */
export interface SchedulerFixtureOptions {
  readonly window?: WindowOptions;
  /**
   * Dispatch retry policy of the schedules the service creates (carried in each schedule's action input); a
   * short one keeps retry tests fast. @default DEFAULT_DISPATCH_RETRY
   */
  readonly retry?: DispatchRetryPolicy;
  /**
   * Settings over the test server's: codec keys, or the address of a server the test started itself.
   * @default none
   */
  readonly settings?: Partial<Settings>;
  /**
   * Ranges dispatch may reach (`Settings.egressAllow`): loopback, so tests dispatch to local receivers; the dev
   * server's own address stays denied. @default {@link TEST_EGRESS_ALLOW}
   */
  readonly egressAllow?: readonly string[];
}

/** Loopback, opened for the tests' local receivers. */
export const TEST_EGRESS_ALLOW: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** Starts a worker on a fresh task queue and wires the service to it. */
export async function startScheduler(options: SchedulerFixtureOptions = {}): Promise<SchedulerFixture> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-catalog-'));
  const settings: Settings = {
    ...testSettings(),
    ...options.settings,
    taskQueue: uniqueId('rbs-tq'),
    dataDir,
    egressAllow: options.egressAllow ?? TEST_EGRESS_ALLOW,
  };
  const created = await createApp(settings, options.window ? { window: options.window } : {});
  // createApp wires the default retry policy; a test policy needs its own service over the same catalog.
  const app: App = options.retry
    ? {
        ...created,
        service: new SchedulerService({
          catalog: created.catalog,
          gateway: new TemporalScheduleGateway(created.client, settings.taskQueue, options.window),
          retry: options.retry,
          targets: { workflowTargets: settings.workflowTargets, productTaskQueue: settings.taskQueue },
          ...(settings.defaultTimeZone ? { defaultTimeZone: settings.defaultTimeZone } : {}),
        }),
      }
    : created;
  const connection = await connectWorker(settings);
  const worker = await createSchedulerWorker({
    settings,
    client: app.client,
    connection,
    ...(options.window ? { window: options.window } : {}),
  });
  const running = worker.run();
  return {
    app,
    settings,
    worker,
    close: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
