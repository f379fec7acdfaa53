/**
 * The HTTP routes of a schedule's instances (FEATURES.md B4-B7): list instances, future runs, abort, cancel,
 * resubmit, the activity stream, and the dispatched request and the runbook's answer (as JSON or as a download).
 * The route schemas describe; {@link InstanceService} validates the raw values with its own schemas.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ErrorBodySchema,
  InternalErrorBodySchema,
  SuccessSchema,
  UnavailableBodySchema,
} from '../connector/outputs';
import {
  FutureRunsInputSchema,
  InstancePayloadInputSchema,
  ListInstancesInputSchema,
} from '../instances/inputs';
import {
  AbortRecordSchema,
  ActivityStreamSchema,
  InstancePayloadSchema,
  FutureRunsSchema,
  InstancePageSchema,
  ResubmittedSchema,
} from '../instances/outputs';
import type { InstanceService } from '../instances/service';
import { ApiMessages, HttpApiError } from './errors';
import type { ZodFastify } from './routes';

function json<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } };
}

const ERRORS = {
  401: json(`\`${ApiMessages.unauthenticated}\``, ErrorBodySchema),
  404: json('`Schedule not found` or `Instance not found`', ErrorBodySchema),
  422: json('A bad query: the messages name the fields.', ErrorBodySchema),
  500: json('An unexpected failure.', InternalErrorBodySchema),
  503: json('Temporal is unavailable; nothing was changed.', UnavailableBodySchema),
};
const CONFLICT = { 409: json('The instance is not in a status the operation accepts.', ErrorBodySchema) };

const ReferenceParams = z.object({
  reference: z.string().describe('The schedule reference, percent-encoded.'),
});
const InstanceParams = ReferenceParams.extend({ instance: z.string().describe('The instance id.') });
const ListQuery = ListInstancesInputSchema.omit({ schedule_reference: true });
const FutureQuery = FutureRunsInputSchema.omit({ schedule_reference: true });
const PayloadQuery = InstancePayloadInputSchema.pick({ download: true });

const params = (request: FastifyRequest) => request.params as { reference: string; instance?: string };
const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

/** Declares the instance routes; `instances` undefined (the OpenAPI build) answers them `No route`. */
export function registerInstanceRoutes(app: ZodFastify, instances: InstanceService | undefined): void {
  const tags = ['instances'];
  const service = (request: FastifyRequest): InstanceService => {
    if (!instances) throw new HttpApiError(404, ApiMessages.noRoute(request.method, request.url));
    return instances;
  };
  const one = (request: FastifyRequest) => ({
    schedule_reference: params(request).reference,
    instance_id: params(request).instance,
  });

  app.get(
    '/v1/schedules/:reference/instances',
    {
      schema: {
        operationId: 'listInstances',
        summary: 'List the instances of a schedule, with their status (filter by status and occurrence time)',
        tags,
        params: ReferenceParams,
        querystring: ListQuery,
        response: {
          200: json('A page of instances, newest occurrence first.', InstancePageSchema),
          ...ERRORS,
        },
      },
    },
    (request) =>
      service(request).listInstances(request.principal, {
        ...query(request),
        schedule_reference: params(request).reference,
      }),
  );

  app.get(
    '/v1/schedules/:reference/future-runs',
    {
      schema: {
        operationId: 'futureRuns',
        summary: 'The next fire times of a schedule (up to 1,000), with their type, less aborted occurrences',
        tags,
        params: ReferenceParams,
        querystring: FutureQuery,
        response: { 200: json('The future runs.', FutureRunsSchema), ...ERRORS },
      },
    },
    (request) =>
      service(request).futureRuns(request.principal, {
        ...query(request),
        schedule_reference: params(request).reference,
      }),
  );

  const action = (
    name: 'abort' | 'cancel' | 'resubmit',
    summary: string,
    schema: z.ZodType,
    run: (s: InstanceService, request: FastifyRequest) => Promise<unknown>,
  ) =>
    app.post(
      `/v1/schedules/:reference/instances/:instance/${name}`,
      {
        schema: {
          operationId: `${name}Instance`,
          summary,
          tags,
          params: InstanceParams,
          response: { 200: json('Done.', schema), ...CONFLICT, ...ERRORS },
        },
      },
      (request) => run(service(request), request),
    );
  app.get(
    '/v1/schedules/:reference/instances/:instance/activity',
    {
      schema: {
        operationId: 'instanceActivity',
        summary: "An instance's activity stream: its milestones with their time, reason and who",
        tags,
        params: InstanceParams,
        response: { 200: json('The activity stream, oldest entry first.', ActivityStreamSchema), ...ERRORS },
      },
    },
    (request) => service(request).activity(request.principal, one(request)),
  );

  for (const payload of ['request', 'response'] as const) {
    app.get(
      `/v1/schedules/:reference/instances/:instance/${payload}`,
      {
        schema: {
          operationId: payload === 'request' ? 'instanceRequest' : 'instanceResponse',
          summary:
            payload === 'request'
              ? 'The request an instance dispatched (target header values redacted)'
              : "The runbook's answer to an instance's dispatch, as recorded (body at most 16,384 characters)",
          description:
            'With `download=true` the same JSON is served as an attachment (`Content-Disposition: attachment`).',
          tags,
          params: InstanceParams,
          querystring: PayloadQuery,
          response: { 200: json('The payload.', InstancePayloadSchema), ...ERRORS },
        },
      },
      async (request, reply) => {
        const raw = { ...one(request), payload, download: query(request).download };
        const body = await service(request).payload(request.principal, raw);
        if (InstancePayloadInputSchema.shape.download.parse(query(request).download)) {
          void reply.header('content-disposition', attachment(params(request).instance ?? '', payload));
        }
        return body;
      },
    );
  }

  action('abort', 'Abort a Queued or Paused instance: it never fires', AbortRecordSchema, (s, r) =>
    s.abort(r.principal, one(r)),
  );
  action('cancel', 'Cancel an In progress or Blocked instance', SuccessSchema, (s, r) =>
    s.cancel(r.principal, one(r)),
  );
  action('resubmit', 'Resubmit a finished instance', ResubmittedSchema, (s, r) =>
    s.resubmit(r.principal, one(r)),
  );
}

/** `attachment; filename="<instance id>-<payload>.json"`, the id reduced to characters safe in a file name. */
export function attachment(instanceId: string, payload: string): string {
  const safe = instanceId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return `attachment; filename="${safe}-${payload}.json"`;
}
