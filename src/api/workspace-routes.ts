/**
 * The HTTP routes of workspace schedules (FEATURES.md C1-C4), under `/v1/workspace/`: the Jobs view, add / edit /
 * delete, activate / inactivate, manual runs of a schedule, a job or a service, runs, cadence preview and reset,
 * and the sync of an integration definition. Like the other routes, the schemas describe and the service
 * validates, with the exact messages of the client API and the CLI.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ErrorBodySchema,
  InternalErrorBodySchema,
  SuccessSchema,
  UnavailableBodySchema,
} from '../connector/outputs';
import { syncIntegration } from '../workspace/sync';
import {
  CadencePreviewInputSchema,
  CreateWorkspaceScheduleInputSchema,
  IntegrationDefinitionSchema,
  RunWorkspaceScheduleInputSchema,
  UpdateWorkspaceScheduleInputSchema,
} from '../workspace/model';
import type { WorkspaceService } from '../workspace/service';
import { JobOutcomeSchema, JobsViewSchema, WorkspaceScheduleViewSchema } from '../workspace/views';
import { ApiMessages, HttpApiError } from './errors';
import type { ZodFastify } from './routes';

const json = <S extends z.ZodType>(description: string, schema: S) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = (extra: Record<number, string>) => ({
  ...Object.fromEntries(Object.entries(extra).map(([status, text]) => [status, json(text, ErrorBodySchema)])),
  401: json(`\`${ApiMessages.unauthenticated}\``, ErrorBodySchema),
  500: json('An unexpected failure; `request_id` finds it in the server log.', InternalErrorBodySchema),
  503: json('Temporal or the catalog is unavailable; nothing was changed.', UnavailableBodySchema),
});
const FORBIDDEN =
  'The caller lacks the `IntegrationAuthor` role: `The IntegrationAuthor role is required to <operation>`.';
const INVALID =
  '`Workspace schedule input is invalid`, each message in `details` (the 15-minute floor among them).';
const NOT_FOUND = '`Workspace schedule "<key>" not found`';

const KeyParamsSchema = z.object({
  key: z.string().describe('The schedule key; a managed one is `<integration>~<schedule id>`.'),
});
const RunbookParamsSchema = z.object({ uuid: z.string().describe("The runbook's uuid.") });
const RunsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() });
const RunStartedSchema = z.object({
  success: z.literal(true),
  workflow_id: z
    .string()
    .nullable()
    .describe('The run of one job or service; null for a whole-schedule run.'),
});
const RunListSchema = z.object({
  runs: z.array(
    z.object({
      workflow_id: z.string(),
      run_id: z.string(),
      state: z.string().describe('`Running`, `Succeeded`, `Errored` (a job failed), `Cancelled`, ...'),
      started_at: z.string(),
      closed_at: z.string().nullable(),
      jobs: z.array(JobOutcomeSchema).describe("Each job's outcome, as the run published it."),
    }),
  ),
});
const PreviewSchema = z.object({
  cadence_text: z.string(),
  occurrences: z.array(z.string()),
  reason: z.string().nullable(),
});
const SyncResultSchema = z.object({
  integration: z.string(),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  removed: z.array(z.string()),
  unchanged: z.array(z.string()),
});

const keyOf = (request: FastifyRequest): string => (request.params as { key: string }).key;

/**
 * Declares the workspace routes; `service()` is the workspace service, or undefined where the app has none
 * (the OpenAPI document's build), which answers 404.
 */
export function registerWorkspaceRoutes(app: ZodFastify, service: () => WorkspaceService | undefined): void {
  const tags = ['workspace'];
  const withBody = { readsBody: true };
  const ws = (request: FastifyRequest): WorkspaceService => {
    const found = service();
    if (!found) throw new HttpApiError(404, ApiMessages.noRoute(request.method, request.url));
    return found;
  };
  const schedulePath = '/v1/workspace/schedules/:key';

  app.get(
    '/v1/workspace/jobs',
    {
      schema: {
        operationId: 'workspaceJobs',
        summary: 'The Jobs view: schedules by feature status, unmanaged Workspace Schedules, services',
        tags,
        response: { 200: json('The Jobs view.', JobsViewSchema), ...errors({}) },
      },
    },
    (request) => ws(request).jobs(request.principal),
  );

  app.post(
    '/v1/workspace/schedules',
    {
      config: withBody,
      schema: {
        operationId: 'addWorkspaceSchedule',
        summary: 'Add a workspace schedule (needs IntegrationAuthor)',
        tags,
        body: CreateWorkspaceScheduleInputSchema,
        response: {
          201: json('Created.', WorkspaceScheduleViewSchema),
          ...errors({ 403: FORBIDDEN, 409: '`Workspace schedule "<key>" already exists`', 422: INVALID }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await ws(request).create(request.principal, request.body)),
  );

  app.get(
    '/v1/workspace/schedules',
    {
      schema: {
        operationId: 'listWorkspaceSchedules',
        summary: 'Every workspace schedule of the solution',
        tags,
        response: {
          200: json('By key.', z.object({ schedules: z.array(WorkspaceScheduleViewSchema) })),
          ...errors({}),
        },
      },
    },
    async (request) => ({ schedules: await ws(request).list(request.principal) }),
  );

  app.get(
    schedulePath,
    {
      schema: {
        operationId: 'getWorkspaceSchedule',
        summary: 'One workspace schedule',
        tags,
        params: KeyParamsSchema,
        response: { 200: json('The schedule.', WorkspaceScheduleViewSchema), ...errors({ 404: NOT_FOUND }) },
      },
    },
    (request) => ws(request).get(request.principal, keyOf(request)),
  );

  app.put(
    schedulePath,
    {
      config: withBody,
      schema: {
        operationId: 'editWorkspaceSchedule',
        summary: 'Edit a workspace schedule (needs IntegrationAuthor); a managed one takes only a cadence',
        tags,
        params: KeyParamsSchema,
        body: UpdateWorkspaceScheduleInputSchema,
        response: {
          200: json('The schedule as stored.', WorkspaceScheduleViewSchema),
          ...errors({
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: '`Workspace schedule "<key>" is managed by integration "<integration>": its jobs cannot be changed, only its cadence`',
            422: INVALID,
          }),
        },
      },
    },
    (request) => ws(request).update(request.principal, keyOf(request), request.body),
  );

  app.delete(
    schedulePath,
    {
      schema: {
        operationId: 'deleteWorkspaceSchedule',
        summary: 'Delete a workspace schedule (needs IntegrationAuthor); idempotent',
        tags,
        params: KeyParamsSchema,
        response: { 200: json('Deleted (or there was none).', SuccessSchema), ...errors({ 403: FORBIDDEN }) },
      },
    },
    (request) => ws(request).delete(request.principal, keyOf(request)),
  );

  for (const [action, active] of [
    ['activate', true],
    ['inactivate', false],
  ] as const) {
    app.post(
      `${schedulePath}/${action}`,
      {
        schema: {
          operationId: `${action}WorkspaceSchedule`,
          summary: `${action === 'activate' ? 'Activate' : 'Inactivate'} a schedule (needs IntegrationAuthor)`,
          tags,
          params: KeyParamsSchema,
          response: {
            200: json('The schedule.', WorkspaceScheduleViewSchema),
            ...errors({
              403: FORBIDDEN,
              404: NOT_FOUND,
              409: '`Workspace schedule "<key>" follows its feature "<feature>", which is Active: it cannot be activated or inactivated on its own`',
            }),
          },
        },
      },
      (request) => ws(request).setActive(request.principal, keyOf(request), active),
    );
  }

  app.post(
    `${schedulePath}/reset-cadence`,
    {
      schema: {
        operationId: 'resetWorkspaceScheduleCadence',
        summary: "Reset a managed schedule's cadence to the integration's (needs IntegrationAuthor)",
        tags,
        params: KeyParamsSchema,
        response: {
          200: json('The schedule.', WorkspaceScheduleViewSchema),
          ...errors({
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: '`Workspace schedule "<key>" is not managed by an integration`',
          }),
        },
      },
    },
    (request) => ws(request).resetCadence(request.principal, keyOf(request)),
  );

  app.post(
    `${schedulePath}/run`,
    {
      config: withBody,
      schema: {
        operationId: 'runWorkspaceSchedule',
        summary: 'Run the whole schedule now, or only one job (`{"job": <position>}`)',
        tags,
        params: KeyParamsSchema,
        body: RunWorkspaceScheduleInputSchema.optional(),
        response: { 200: json('Started.', RunStartedSchema), ...errors({ 404: NOT_FOUND, 422: INVALID }) },
      },
    },
    (request) => ws(request).run(request.principal, keyOf(request), request.body ?? {}),
  );

  app.get(
    `${schedulePath}/runs`,
    {
      schema: {
        operationId: 'listWorkspaceScheduleRuns',
        summary: "The schedule's most recent runs, newest first, each job's outcome",
        tags,
        params: KeyParamsSchema,
        querystring: RunsQuerySchema,
        response: { 200: json('Runs.', RunListSchema), ...errors({}) },
      },
    },
    (request) => {
      const limit = Number((request.query as { limit?: unknown }).limit ?? 20);
      return ws(request).runs(request.principal, keyOf(request), Number.isInteger(limit) ? limit : 20);
    },
  );

  app.post(
    '/v1/workspace/services/:uuid/run',
    {
      schema: {
        operationId: 'runWorkspaceService',
        summary: 'Run a service (a runbook of the solution) now',
        tags,
        params: RunbookParamsSchema,
        response: {
          200: json('Started.', RunStartedSchema),
          ...errors({ 404: '`No runbook <uuid> in this solution`' }),
        },
      },
    },
    (request) => ws(request).runService(request.principal, request.params.uuid),
  );

  app.post(
    '/v1/workspace/cadence/occurrences',
    {
      config: withBody,
      schema: {
        operationId: 'previewWorkspaceCadence',
        summary: 'The next occurrences of a cadence, before saving it',
        tags,
        body: CadencePreviewInputSchema,
        response: { 200: json('Occurrences (UTC).', PreviewSchema), ...errors({ 422: INVALID }) },
      },
    },
    (request) => ws(request).previewCadence(request.body),
  );

  app.post(
    '/v1/workspace/integrations/sync',
    {
      config: withBody,
      schema: {
        operationId: 'syncIntegration',
        summary: 'Sync an integration definition into the workspace (needs IntegrationAuthor); idempotent',
        tags,
        body: IntegrationDefinitionSchema,
        response: {
          200: json('What the sync did, by key.', SyncResultSchema),
          ...errors({
            403: FORBIDDEN,
            422: '`Integration definition is invalid`, each message in `details`.',
          }),
        },
      },
    },
    (request) => syncIntegration(ws(request), request.principal, request.body),
  );
}
