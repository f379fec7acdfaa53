/**
 * The HTTP routes of a schedule's instances (FEATURES.md B4-B6): list instances, future runs, abort, cancel,
 * resubmit. The route schemas describe; {@link InstanceService} validates the raw values with its own schemas.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ErrorBodySchema,
  InternalErrorBodySchema,
  SuccessSchema,
  UnavailableBodySchema,
} from '../connector/outputs';
import { FutureRunsInputSchema, ListInstancesInputSchema } from '../instances/inputs';
import {
  AbortRecordSchema,
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
