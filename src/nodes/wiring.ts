/**
 * Builds the schedule service of a deployment from its settings (one line in `createApp`): the node registry in
 * the data directory, the Temporal gateway on the product's task queue, the catalog and policies it shares.
 */
import type { Client } from '@temporalio/client';
import type { RunbookCatalog } from '../catalog/catalog';
import type { Settings } from '../config';
import { literalUrlRefusal, type EgressPolicy } from '../dispatch/egress';
import { TemporalNodeGateway } from './node-gateway';
import { SqliteScheduleNodeStore } from './node-store';
import { ScheduleNodeService } from './schedule-service';

/** The wired schedule service, and how to release its registry. */
export interface ScheduleNodes {
  readonly service: ScheduleNodeService;
  close(): Promise<void>;
}

/** The schedule service over `<dataDir>/schedule-nodes.db` and the settings' client. */
export function createScheduleNodeService(
  settings: Settings,
  client: Client,
  catalog: RunbookCatalog,
  egress: EgressPolicy,
): ScheduleNodes {
  const store = new SqliteScheduleNodeStore(settings.dataDir);
  const service = new ScheduleNodeService({
    store,
    gateway: new TemporalNodeGateway(client, settings.taskQueue),
    catalog,
    targets: {
      workflowTargets: settings.workflowTargets,
      productTaskQueue: settings.taskQueue,
      urlRefusal: (url) => literalUrlRefusal(url, egress),
    },
    retry: settings.dispatchRetry,
    now: () => new Date(),
    maximumDelaySeconds: settings.maximumDelaySeconds,
    pendingLimit: settings.nodePendingLimit,
  });
  return { service, close: () => store.close() };
}
