/**
 * Wires the product together from settings: client, catalog, gateway, service. Shared by the main job, the
 * CLI and tests, so each entry point stays a few lines.
 */
import type { Client } from '@temporalio/client';
import type { RunbookCatalog } from './catalog/catalog';
import { openRunbookCatalog } from './catalog/open';
import type { Settings } from './config';
import { SchedulerService } from './connector/scheduler-service';
import { InstanceService } from './instances/service';
import { buildEgressPolicy, literalUrlRefusal } from './dispatch/egress';
import { connectClient } from './temporal/connection';
import type { WindowOptions } from './temporal/compile';
import { WorkspaceGateway } from './workspace/gateway';
import { WorkspaceService } from './workspace/service';
import { createScheduleNodeService, type ScheduleNodes } from './nodes/wiring';
import { LifecycleScheduleGateway } from './temporal/lifecycle-gateway';
import { ScheduleOperations } from './operations/schedule-operations';

/** The wired application. */
export interface App {
  readonly settings: Settings;
  readonly client: Client;
  readonly catalog: RunbookCatalog;
  readonly service: SchedulerService;
  /** Workspace schedules (FEATURES.md C1-C4). */
  readonly workspace: WorkspaceService;
  /** The schedule service and its schedule nodes (FEATURES.md D1-D5). */
  readonly nodes: ScheduleNodes['service'];
  /** Operating schedules (FEATURES.md B1-B3, B8): start, pause, resume, stop, retry, refresh, run now. */
  readonly operations: ScheduleOperations;
  /** Instances of schedules: list, future runs, abort, cancel, resubmit (FEATURES.md B4-B6). */
  readonly instances: InstanceService;
  close(): Promise<void>;
}

/** Connects to Temporal and builds the service. */
export async function createApp(
  settings: Settings,
  options: { window?: WindowOptions; client?: Client } = {},
): Promise<App> {
  const client = options.client ?? (await connectClient(settings));
  const catalog = openRunbookCatalog(settings);
  const egress = buildEgressPolicy(settings);
  const gateway = new LifecycleScheduleGateway(client, settings.taskQueue, options.window);
  const service = new SchedulerService({
    catalog,
    gateway,
    retry: settings.dispatchRetry,
    targets: {
      workflowTargets: settings.workflowTargets,
      productTaskQueue: settings.taskQueue,
      // Literal internal addresses and credentials are refused up front; names are checked at each dispatch.
      urlRefusal: (url) => literalUrlRefusal(url, egress),
    },
    scheduleQuota: settings.scheduleQuota,
    ...(settings.defaultTimeZone ? { defaultTimeZone: settings.defaultTimeZone } : {}),
  });
  const workspace = new WorkspaceService({
    catalog,
    gateway: new WorkspaceGateway(client, settings.taskQueue, options.window),
    retry: settings.dispatchRetry,
    minPeriodMinutes: settings.minPeriodMinutes,
  });
  const nodes = createScheduleNodeService(settings, client, catalog, egress);
  return {
    settings,
    client,
    catalog,
    service,
    workspace,
    nodes: nodes.service,
    operations: new ScheduleOperations({ client, gateway, catalog, taskQueue: settings.taskQueue }),
    instances: new InstanceService({ client, gateway, taskQueue: settings.taskQueue }),
    close: async () => {
      await nodes.close();
      await catalog.close?.();
      if (!options.client) await client.connection.close();
    },
  };
}
