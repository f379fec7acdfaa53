/**
 * The routes of the HTTP API, each declaring its params, query, body and responses with the product's zod
 * schemas (the OpenAPI document is generated from them) and calling one method of the service.
 *
 * The route schemas describe; the service validates. It parses every raw input with these same schemas, and its
 * messages are the product's exact strings (FEATURES.md), shared with the CLI and the client API, so the HTTP
 * layer passes the raw values through rather than answering with messages of its own.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RunbookSchema } from '../catalog/model';
import { Messages } from '../connector/errors';
import {
  CreateScheduleInputSchema,
  ListRunsInputSchema,
  RegisterRunbookInputSchema,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
} from '../connector/inputs';
import {
  CreateScheduleOutputSchema,
  ErrorBodySchema,
  InternalErrorBodySchema,
  RunbookListSchema,
  RunListSchema,
  ScheduleViewSchema,
  SuccessSchema,
  UnavailableBodySchema,
} from '../connector/outputs';
import type { SchedulerService } from '../connector/scheduler-service';
import { RecurrenceInputSchema } from '../recurrence';
import { ApiMessages, HttpApiError } from './errors';
import { registerScheduleListRoute } from './schedule-list-route';
import type { Principal } from '../principal';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered without a bearer token (the OpenAPI document). @default false */
    public?: boolean;
    /** The route reads a JSON request body; elsewhere a body is ignored, unread as JSON. @default false */
    readsBody?: boolean;
    /** One of the 405 routes the app adds for the methods a path does not declare. @default false */
    methodNotAllowed?: boolean;
  }
  interface FastifyRequest {
    /** The caller's solution, from its bearer token; empty on public routes. */
    solution: string;
    /** The caller, from its bearer token: solution, user and roles; unset on public routes. */
    principal: Principal;
  }
}

/** What the HTTP API calls: the service's public methods, so a test can pass a plain object. */
export type HttpApiService = Pick<
  SchedulerService,
  | 'createSchedule'
  | 'updateSchedule'
  | 'deleteSchedule'
  | 'getSchedule'
  | 'listSchedulePage'
  | 'listRuns'
  | 'pauseSchedule'
  | 'resumeSchedule'
  | 'triggerSchedule'
  | 'registerRunbook'
  | 'listRunbooks'
>;

/** The Fastify instance the routes are declared on. */
export type ZodFastify = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Path of the OpenAPI document. */
export const OPENAPI_PATH = '/v1/openapi.json';

/** A response in OpenAPI's form: its description, and the schema of its JSON body. */
export function json<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } };
}

/** Errors every authenticated route can answer. */
export const COMMON_ERRORS = {
  401: json(`\`${ApiMessages.unauthenticated}\``, ErrorBodySchema),
  500: json(
    'An unexpected failure; the message is never echoed, `request_id` finds it in the server log.',
    InternalErrorBodySchema,
  ),
  503: json('Temporal or the catalog is unavailable; nothing was changed.', UnavailableBodySchema),
};

/** Errors of a route that reads a JSON body. */
export const BODY_ERRORS = {
  400: json(`\`${ApiMessages.invalidJson}\` or \`${ApiMessages.notAnObject}\``, ErrorBodySchema),
  413: json(`\`${ApiMessages.bodyTooLarge}\``, ErrorBodySchema),
};

/** An error response documented by what it says. */
export const invalid = (what: string) => json(what, ErrorBodySchema);

/** The `:reference` path parameter. */
export const ReferenceParamsSchema = z.object({
  reference: ScheduleReferenceInputSchema.shape.schedule_reference.describe(
    'The schedule reference, percent-encoded.',
  ),
});

/** Errors of a route with a `:reference`. */
export const referenceErrors = {
  400: json(`\`${ApiMessages.badReferenceEncoding}\``, ErrorBodySchema),
};

// Documented bodies: the product's input schemas, with what the path or the token supplies left out and the
// recurrence shown as the recurrence schema (validated by the service once the clock is known).
const CreateScheduleBodySchema = CreateScheduleInputSchema.extend({ schedule: RecurrenceInputSchema });
const UpdateScheduleBodySchema = UpdateScheduleInputSchema.omit({ schedule_reference: true }).extend({
  schedule: RecurrenceInputSchema,
});
const RegisterRunbookBodySchema = RegisterRunbookInputSchema.omit({ solution: true });
const ListRunsQuerySchema = z.object({
  limit: ListRunsInputSchema.shape.limit,
});

/** The body as a JSON object, to merge the path's reference or the token's solution into. */
export function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpApiError(400, ApiMessages.notAnObject);
  }
  return body as Record<string, unknown>;
}

/** The raw body, not validated here (see the module comment): the service parses it. */
export const rawBody = (request: FastifyRequest): unknown => request.body;
/** The `:reference` of the path, decoded. */
export const referenceOf = (request: FastifyRequest): string =>
  (request.params as { reference: string }).reference;
/** The first `name` of the query string, or undefined; a repeated parameter is read as its first value. */
export function queryValue(request: FastifyRequest, name: string): unknown {
  const value = (request.query as Record<string, unknown>)[name];
  return Array.isArray(value) ? (value as unknown[])[0] : value;
}
const limitOf = (request: FastifyRequest): unknown => queryValue(request, 'limit');

/**
 * Declares every route of the API on `app`. Each route's `config` says whether it is public and whether it
 * reads a body; authentication and body parsing are the app's (see `buildHttpApi`).
 */
export function registerRoutes(app: ZodFastify, service: HttpApiService): void {
  const tags = { runbooks: ['runbooks'], schedules: ['schedules'] };
  const withBody = { readsBody: true };

  app.post(
    '/v1/runbooks',
    {
      config: withBody,
      schema: {
        operationId: 'registerRunbook',
        summary: 'Register a runbook (provisions its Scheduler trigger)',
        description: "Adds or replaces a runbook of the caller's solution (the token decides it).",
        tags: tags.runbooks,
        body: RegisterRunbookBodySchema,
        response: {
          200: json('The runbook as stored.', RunbookSchema),
          ...BODY_ERRORS,
          422: invalid('`Failed to register schedule: <error>`, messages in `details`.'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => service.registerRunbook({ ...asObject(rawBody(request)), solution: request.solution }),
  );

  app.get(
    '/v1/runbooks',
    {
      schema: {
        operationId: 'listRunbooks',
        summary: 'List runbooks',
        tags: tags.runbooks,
        response: { 200: json("The solution's runbooks.", RunbookListSchema), ...COMMON_ERRORS },
      },
    },
    async (request) => ({ runbooks: await service.listRunbooks(request.solution) }),
  );

  app.post(
    '/v1/schedules',
    {
      config: withBody,
      schema: {
        operationId: 'createSchedule',
        summary: 'Create Schedule',
        tags: tags.schedules,
        body: CreateScheduleBodySchema,
        response: {
          201: json('Created.', CreateScheduleOutputSchema),
          ...BODY_ERRORS,
          404: invalid('`Failed to create schedule: No Runbook found`'),
          409: invalid('`Failed to create schedule: ["Reference must be unique per solution"]`'),
          422: invalid(
            '`Failed to create schedule: [<validation messages>]`, or the trigger template is not supported.',
          ),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const created = await service.createSchedule(
        request.solution,
        rawBody(request),
        request.principal.user,
      );
      return reply.code(201).send(created);
    },
  );

  registerScheduleListRoute(app, service);

  app.get(
    '/v1/schedules/:reference',
    {
      schema: {
        operationId: 'getSchedule',
        summary: 'One schedule, with paused, next_action_times and last_error',
        tags: tags.schedules,
        params: ReferenceParamsSchema,
        response: {
          200: json('The schedule.', ScheduleViewSchema),
          ...referenceErrors,
          404: invalid(`\`${Messages.scheduleNotFound}\``),
          422: invalid('The reference is invalid (too long, say).'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const view = await service.getSchedule(request.solution, { schedule_reference: referenceOf(request) });
      if (!view) throw new HttpApiError(404, Messages.scheduleNotFound);
      return view;
    },
  );

  app.put(
    '/v1/schedules/:reference',
    {
      config: withBody,
      schema: {
        operationId: 'updateSchedule',
        summary: 'Update Schedule: a full replacement of the recurrence; `disabled` pauses and resumes',
        tags: tags.schedules,
        params: ReferenceParamsSchema,
        body: UpdateScheduleBodySchema,
        response: {
          200: json('Updated.', SuccessSchema),
          ...BODY_ERRORS,
          ...referenceErrors,
          404: invalid('`Failed to update schedule: Schedule not found`'),
          422: invalid('`Failed to update schedule: Schedule update failed`, messages in `details`.'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) =>
      service.updateSchedule(request.solution, {
        ...asObject(rawBody(request)),
        schedule_reference: referenceOf(request),
      }),
  );

  app.delete(
    '/v1/schedules/:reference',
    {
      schema: {
        operationId: 'deleteSchedule',
        summary: 'Delete Schedule: idempotent; also cancels its runs still dispatching',
        tags: tags.schedules,
        params: ReferenceParamsSchema,
        response: {
          200: json('Deleted, or there was nothing to delete.', SuccessSchema),
          ...referenceErrors,
          422: invalid('The reference is invalid.'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => service.deleteSchedule(request.solution, { schedule_reference: referenceOf(request) }),
  );

  const commands = [['trigger', 'triggerSchedule', 'Fire now, outside the cadence']] as const;
  for (const [command, method, summary] of commands) {
    app.post(
      `/v1/schedules/:reference/${command}`,
      {
        // Read, so that a malformed body is refused as on every other POST; its content is not used.
        config: withBody,
        schema: {
          operationId: method,
          summary,
          tags: tags.schedules,
          params: ReferenceParamsSchema,
          response: {
            200: json('Done.', SuccessSchema),
            ...BODY_ERRORS,
            ...referenceErrors,
            404: invalid(`\`${Messages.scheduleNotFound}\``),
            422: invalid('The reference is invalid.'),
            ...COMMON_ERRORS,
          },
        },
      },
      (request) => service[method](request.solution, { schedule_reference: referenceOf(request) }),
    );
  }

  app.get(
    '/v1/schedules/:reference/runs',
    {
      schema: {
        operationId: 'listRuns',
        summary: 'Its most recent runs, newest first, also after Delete Schedule',
        tags: tags.schedules,
        params: ReferenceParamsSchema,
        querystring: ListRunsQuerySchema,
        response: {
          200: json('The runs, newest first.', RunListSchema),
          ...referenceErrors,
          422: invalid('`limit` or the reference is invalid: `Limit must be a number`, ...'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) =>
      service.listRuns(request.solution, {
        schedule_reference: referenceOf(request),
        ...(limitOf(request) === undefined ? {} : { limit: limitOf(request) }),
      }),
  );

  app.get(
    OPENAPI_PATH,
    {
      config: { public: true },
      schema: {
        operationId: 'openApi',
        summary: 'This OpenAPI 3.1 document (no token needed)',
        tags: ['meta'],
        security: [],
        response: {
          200: json('The OpenAPI document.', z.record(z.string(), z.unknown())),
          500: COMMON_ERRORS[500],
        },
      },
    },
    () => app.swagger() as unknown as Record<string, unknown>,
  );
}
