/**
 * runbook-scheduler's public API: the typed client (`createApp` → `SchedulerService`), the pure recurrence
 * core, and the pieces a host process needs to run the worker and the HTTP API.
 */
export { createApp, type App } from './app';
export {
  loadSettings,
  parseTokens,
  DEFAULT_DISPATCH_RETRY,
  type DispatchRetryPolicy,
  type Settings,
  type TlsSettings,
  SettingsError,
} from './config';
export * from './recurrence';
export {
  SchedulerService,
  type CreateScheduleOutput,
  type ScheduleView,
  type Success,
  type SchedulerServiceDeps,
} from './connector/scheduler-service';
export { ScheduleActionError, ActionErrorCode, Messages } from './connector/errors';
export * from './connector/inputs';
export * from './catalog/model';
export type { RunbookCatalog } from './catalog/catalog';
export { openRunbookCatalog } from './catalog/open';
export { SqliteRunbookCatalog } from './catalog/sqlite-catalog';
export { PostgresRunbookCatalog } from './catalog/postgres-catalog';
export { compileSchedule, type CompiledSchedule, type WindowOptions } from './temporal/compile';
export {
  TemporalScheduleGateway,
  type ScheduleGateway,
  type StoredSchedule,
} from './temporal/schedule-gateway';
export { scheduleIdFor } from './temporal/schedule-ids';
export { UnavailableError, Dependency } from './errors';
export {
  ScheduleAlreadyExistsError,
  ScheduleNotFoundError,
  ScheduleOverwrittenError,
  ScheduleWriteConflictError,
} from './temporal/temporal-errors';
export { ScheduleActions } from './connector/schedule-actions';
export { RunbookRegistry } from './connector/runbook-registry';
export { createSchedulerWorker, ensureSweepSchedule } from './worker';
export { startHttpApi } from './api/http-api';
export { buildDispatchPayload, idempotencyKey, type DispatchPayload } from './dispatch/payload';
export { resolveJobContextIdentifier } from './dispatch/job-context';
