/**
 * Inputs of workspace schedules (FEATURES.md C1-C4) as zod schemas, the single source of truth of the client
 * API, the HTTP API and the CLI: a schedule with its jobs, its update, a manual run, and the integration
 * definition a sync applies. Cadences are checked by `compileCadence` once the clock is known.
 */
import { z } from 'zod';
import { RequestBodySchema } from '../connector/inputs';
import { CadenceSchema } from './cadence';

/** Where a job comes from in the seed's words: a service or an on-demand flow (both are runbooks here). */
export const JobKind = { Service: 'service', Flow: 'flow' } as const;
/** Where a job comes from. */
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/** What a failed job does to the groups after it. */
export const FailurePolicy = {
  /** Default: no later group starts; jobs already running finish; the run ends Errored. */
  Stop: 'stop',
  /** Every group still runs in order; the run ends Errored if any job failed. */
  Continue: 'continue',
} as const;
/** What a failed job does to the groups after it. */
export type FailurePolicy = (typeof FailurePolicy)[keyof typeof FailurePolicy];

/** Status of an integration's feature. */
export const FeatureStatus = {
  Active: 'Active',
  Onboarding: 'Onboarding',
  Maintenance: 'Maintenance',
} as const;
/** Status of an integration's feature. */
export type FeatureStatus = (typeof FeatureStatus)[keyof typeof FeatureStatus];
/** Every {@link FeatureStatus}, in the order of the Jobs view. */
export const FEATURE_STATUSES = Object.values(FeatureStatus) as [FeatureStatus, ...FeatureStatus[]];

/** Most jobs one schedule may have. */
export const MAX_JOBS = 50;
/** Highest sequence number. */
export const MAX_SEQUENCE = 1000;

const required = (field: string, kind: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${field} is required` : `${field} must be ${kind}`;

/** An id a caller chooses (schedule key, integration, feature): letters, digits, `.`, `_`, `-`. */
export const workspaceId = (field: string) =>
  z
    .string({ error: required(field, 'a string') })
    .regex(/^[A-Za-z0-9._-]{1,100}$/, `${field} must be 1 to 100 letters, digits, ".", "_" or "-"`);

const description = z
  .string({ error: required('Description', 'a string') })
  .trim()
  .min(1, 'Description must not be empty')
  .max(500, 'Description must be at most 500 characters');

/** One job of a schedule: a runbook of the solution, its sequence number and whether it skips the wait. */
export const JobInputSchema = z.object(
  {
    runbook_uuid: z.uuid({ error: 'Job runbook_uuid must be a UUID' }),
    kind: z
      .enum([JobKind.Service, JobKind.Flow], { error: 'Job kind must be "service" or "flow"' })
      .default('service'),
    sequence: z
      .number({ error: 'Job sequence must be a number' })
      .int('Job sequence must be a whole number')
      .min(1, 'Job sequence must be at least 1')
      .max(MAX_SEQUENCE, `Job sequence must be at most ${MAX_SEQUENCE}`)
      .default(1),
    skip_wait: z.boolean({ error: 'Job skip_wait must be true or false' }).default(false),
  },
  { error: 'Each job must be an object' },
);
/** One job as given. */
export type JobInput = z.output<typeof JobInputSchema>;

const jobs = z
  .array(JobInputSchema, { error: required('Jobs', 'a list') })
  .min(1, 'Jobs must contain at least one job')
  .max(MAX_JOBS, `Jobs must contain at most ${MAX_JOBS} jobs`);

const failurePolicy = z
  .enum([FailurePolicy.Stop, FailurePolicy.Continue], {
    error: 'Failure policy must be "stop" or "continue"',
  })
  .default('stop');

/** Add Schedule: an unmanaged workspace schedule. */
export const CreateWorkspaceScheduleInputSchema = z.object(
  {
    key: workspaceId('Key'),
    description,
    cadence: CadenceSchema,
    jobs,
    failure_policy: failurePolicy,
    request_body: RequestBodySchema.optional(),
  },
  { error: 'Input must be a JSON object' },
);
/** Add Schedule input. */
export type CreateWorkspaceScheduleInput = z.output<typeof CreateWorkspaceScheduleInputSchema>;

/** Edit Schedule: the fields to change (at least one). A managed schedule takes only `cadence`. */
export const UpdateWorkspaceScheduleInputSchema = z
  .object(
    {
      description: description.optional(),
      cadence: CadenceSchema.optional(),
      jobs: jobs.optional(),
      failure_policy: failurePolicy.unwrap().optional(),
      request_body: RequestBodySchema.optional(),
    },
    { error: 'Input must be a JSON object' },
  )
  .refine((v) => Object.values(v).some((field) => field !== undefined), {
    error: 'Give at least one of description, cadence, jobs, failure_policy, request_body',
  });
/** Edit Schedule input. */
export type UpdateWorkspaceScheduleInput = z.output<typeof UpdateWorkspaceScheduleInputSchema>;

/** A manual run: the whole schedule, or only the job at this position (1-based, in the order of `jobs`). */
export const RunWorkspaceScheduleInputSchema = z.object(
  {
    job: z
      .number({ error: 'Job must be a number' })
      .int('Job must be a whole number')
      .min(1, 'Job must be at least 1')
      .optional(),
  },
  { error: 'Input must be a JSON object' },
);
/** A manual run's input. */
export type RunWorkspaceScheduleInput = z.output<typeof RunWorkspaceScheduleInputSchema>;

/** A cadence preview: the next `count` occurrences after `after` (default now). */
export const CadencePreviewInputSchema = z.object(
  {
    cadence: CadenceSchema,
    count: z
      .number({ error: 'Count must be a number' })
      .int()
      .min(1, 'Count must be at least 1')
      .max(1000, 'Count must be at most 1000')
      .default(10),
    after: z.iso
      .datetime({ offset: true, error: 'After must be an ISO 8601 instant with its offset' })
      .optional(),
  },
  { error: 'Input must be a JSON object' },
);
/** A cadence preview's input. */
export type CadencePreviewInput = z.output<typeof CadencePreviewInputSchema>;

/** A schedule of an integration definition: its id is unique within the definition. */
export const DefinitionScheduleSchema = z.object({
  id: workspaceId('Schedule id'),
  description,
  cadence: CadenceSchema,
  jobs,
  failure_policy: failurePolicy,
  request_body: RequestBodySchema.optional(),
});

/** A feature of an integration definition: a status and its schedules. */
export const DefinitionFeatureSchema = z.object({
  id: workspaceId('Feature id'),
  name: z.string().max(200, 'Feature name must be at most 200 characters').optional(),
  status: z.enum(FEATURE_STATUSES, { error: `Feature status must be one of ${FEATURE_STATUSES.join(', ')}` }),
  schedules: z.array(DefinitionScheduleSchema).max(500, 'A feature has at most 500 schedules').default([]),
});

/**
 * An integration definition (FEATURES.md C4): its features, each with a status and its schedules and jobs.
 * Syncing it makes the workspace's managed schedules of this integration match it. Published as
 * `schemas/integration-definition.schema.json`.
 */
export const IntegrationDefinitionSchema = z
  .object(
    {
      integration: workspaceId('Integration'),
      name: z.string().max(200, 'Integration name must be at most 200 characters').optional(),
      features: z.array(DefinitionFeatureSchema, { error: required('Features', 'a list') }).max(100),
    },
    { error: 'Integration definition must be a JSON object' },
  )
  .check((ctx) => {
    const seen = new Set<string>();
    for (const feature of ctx.value.features) {
      for (const schedule of feature.schedules) {
        if (seen.has(schedule.id)) {
          ctx.issues.push({
            code: 'custom',
            input: schedule.id,
            message: `Schedule id "${schedule.id}" appears twice`,
          });
        }
        seen.add(schedule.id);
      }
    }
  });
/** An integration definition. */
export type IntegrationDefinition = z.output<typeof IntegrationDefinitionSchema>;
