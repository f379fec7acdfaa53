/**
 * What the APIs answer about workspace schedules (FEATURES.md C1-C4), as zod schemas (the OpenAPI document's
 * source) and the pure functions that build them from a stored schedule: the schedule view and the Jobs view,
 * grouped by feature status plus the unmanaged Workspace Schedules, with the workspace's services.
 */
import { z } from 'zod';
import type { Runbook } from '../catalog/model';
import { CadenceSchema, cadenceText } from './cadence';
import { FEATURE_STATUSES, FeatureStatus, FailurePolicy, JobKind } from './model';
import type { StoredWorkspaceSchedule } from './schedule-options';

const JobViewSchema = z.object({
  position: z.number().int().describe('1-based position; a manual run of one job names it.'),
  name: z.string().describe("The runbook's name."),
  runbook_uuid: z.string(),
  kind: z.enum([JobKind.Service, JobKind.Flow]),
  sequence: z.number().int(),
  skip_wait: z.boolean(),
});

/** One workspace schedule as the APIs show it. */
export const WorkspaceScheduleViewSchema = z.object({
  key: z.string(),
  schedule_id: z
    .string()
    .describe('The Temporal Schedule id, as the Web UI and `temporal schedule` show it.'),
  description: z.string(),
  cadence: CadenceSchema,
  cadence_text: z.string().describe('The cadence in words: "every 2 hours from 2026-12-03 09:00 UTC".'),
  jobs: z.array(JobViewSchema),
  failure_policy: z.enum([FailurePolicy.Stop, FailurePolicy.Continue]),
  state: z.enum(['Active', 'Inactive']),
  note: z.string().nullable().describe('Why it is inactive, or its next occurrence.'),
  next_run: z.string().nullable().meta({ format: 'date-time' }),
  managed: z
    .object({
      integration: z.string(),
      feature: z.string(),
      feature_name: z.string().nullable(),
      feature_status: z.enum(FEATURE_STATUSES),
      locally_modified: z.boolean().describe('The cadence was changed locally; syncs keep it until reset.'),
      integration_cadence: CadenceSchema,
    })
    .nullable()
    .describe('Null for a workspace (unmanaged) schedule.'),
  created_at: z.string().meta({ format: 'date-time' }),
});
/** One workspace schedule as the APIs show it. */
export type WorkspaceScheduleView = z.infer<typeof WorkspaceScheduleViewSchema>;

/** A service of the workspace: a runbook of the solution, runnable by hand. */
export const ServiceViewSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  target_kind: z.enum(['http', 'workflow']),
});

/** One job's outcome in a run (`JobOutcome`). */
export const JobOutcomeSchema = z.object({
  position: z.number().int(),
  name: z.string(),
  runbookUuid: z.string(),
  sequence: z.number().int(),
  skipWait: z.boolean(),
  status: z.enum(['succeeded', 'failed', 'duplicate', 'not_started']),
  idempotencyKey: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  httpStatus: z.number().int().optional(),
  workflowId: z.string().optional(),
  error: z.string().optional().describe('`Runbook execution failed with status <status>` for a failed job.'),
});

/** The Jobs view. */
export const JobsViewSchema = z.object({
  schedules: z.object({
    Active: z.array(WorkspaceScheduleViewSchema),
    Onboarding: z.array(WorkspaceScheduleViewSchema),
    Maintenance: z.array(WorkspaceScheduleViewSchema),
    workspace: z.array(WorkspaceScheduleViewSchema).describe('Unmanaged Workspace Schedules.'),
  }),
  services: z.array(ServiceViewSchema),
});
/** The Jobs view. */
export type JobsView = z.infer<typeof JobsViewSchema>;

/** The view of a stored schedule. */
export function workspaceScheduleView(stored: StoredWorkspaceSchedule): WorkspaceScheduleView {
  const record = stored.input;
  const managed = record.managed;
  return {
    key: record.key,
    schedule_id: stored.scheduleId,
    description: record.description,
    cadence: record.cadence,
    cadence_text: cadenceText(record.cadence),
    jobs: record.jobs.map((job, i) => ({
      position: i + 1,
      name: job.name,
      runbook_uuid: job.runbookUuid,
      kind: job.kind,
      sequence: job.sequence,
      skip_wait: job.skipWait,
    })),
    failure_policy: record.failurePolicy,
    state: stored.paused ? 'Inactive' : 'Active',
    note: stored.note ?? null,
    next_run: stored.paused ? null : (stored.nextActionTimes[0]?.toISOString() ?? null),
    managed: managed
      ? {
          integration: managed.integration,
          feature: managed.feature,
          feature_name: managed.featureName ?? null,
          feature_status: managed.featureStatus,
          locally_modified: managed.locallyModified,
          integration_cadence: managed.cadence,
        }
      : null,
    created_at: stored.memo.createdAt,
  };
}

/** The Jobs view of a solution's schedules and runbooks. */
export function jobsView(
  schedules: readonly StoredWorkspaceSchedule[],
  runbooks: readonly Runbook[],
): JobsView {
  const views = schedules.map(workspaceScheduleView);
  const of = (status: FeatureStatus) => views.filter((v) => v.managed?.feature_status === status);
  return {
    schedules: {
      Active: of(FeatureStatus.Active),
      Onboarding: of(FeatureStatus.Onboarding),
      Maintenance: of(FeatureStatus.Maintenance),
      workspace: views.filter((v) => v.managed === null),
    },
    services: runbooks.map((r) => ({ uuid: r.uuid, name: r.name, target_kind: r.target.kind })),
  };
}
