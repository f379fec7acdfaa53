/**
 * What the connector's parts (the schedule actions and the runbook registry) are built from: one shape, filled
 * once by {@link SchedulerService}.
 */
import type { RunbookCatalog } from '../catalog/catalog';
import type { DispatchRetryPolicy } from '../config';
import type { ScheduleGateway } from '../temporal/schedule-gateway';
import type { ScheduleQuota } from './quota';
import type { TargetPolicy } from './target-policy';

/** Dependencies of the schedule actions and the runbook registry. */
export interface ConnectorDeps {
  readonly catalog: RunbookCatalog;
  readonly gateway: ScheduleGateway;
  /** The clock. */
  readonly now: () => Date;
  /** Zone of a recurrence that omits a required `time_zone`; unset means it is required. */
  readonly defaultTimeZone?: string;
  /** Dispatch retries fixed into each new schedule. */
  readonly retry: DispatchRetryPolicy;
  /** Where runbooks may send their fires. */
  readonly targets: TargetPolicy;
  /** Live schedules one solution may have, checked before every create. */
  readonly quota: ScheduleQuota;
}
