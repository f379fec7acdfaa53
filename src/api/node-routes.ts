/**
 * The HTTP routes of the schedule service and its schedule nodes (FEATURES.md D1-D5): the node registry under
 * `/v1/nodes`, the JSON form at `POST /v1/schedule-service` and the seed's XML form at
 * `POST /v1/schedule-service/xml`. Authenticated with the bearer token like every route; the token decides the
 * solution and the user the service acts as.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorBodySchema } from '../connector/outputs';
import { ErrorNumber } from '../nodes/errors';
import {
  RegisterNodeInputSchema,
  ScheduleNodeSchema,
  ScheduleServiceAnswerSchema,
  ScheduleServiceInputSchema,
  type ScheduleServiceAnswer,
} from '../nodes/model';
import type { ScheduleNodeService } from '../nodes/schedule-service';
import { parseScheduleServiceXml, renderScheduleServiceAnswer, MAX_XML_BYTES } from '../nodes/xml-form';
import { NodeMessages } from '../nodes/errors';
import { COMMON_ERRORS, type ZodFastify } from './routes';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its body as text (the XML form), not as JSON. @default false */
    readsText?: boolean;
  }
}

/** What the node routes call: the schedule service's public methods. */
export type NodeApiService = Pick<
  ScheduleNodeService,
  'registerNode' | 'listNodes' | 'getNode' | 'deleteNode' | 'clearNodeError' | 'scheduleService'
>;

/** HTTP status of a JSON-form answer, by its error number; the XML form always answers 200. */
export const STATUS_OF_ERROR_NUMBER: Readonly<Record<number, number>> = {
  [ErrorNumber.Ok]: 200,
  [ErrorNumber.NotAuthorised]: 403,
  [ErrorNumber.NotFound]: 404,
  [ErrorNumber.ParameterError]: 422,
  [ErrorNumber.ExistingErrors]: 409,
  [ErrorNumber.Temporary]: 503,
};

function json<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } };
}

const COMMON = COMMON_ERRORS;
const IdentifierParams = z.object({
  identifier: z.string().describe('The node identifier, percent-encoded.'),
});
const NodeViewSchema = ScheduleNodeSchema.extend({
  state: z
    .object({
      generation: z.string(),
      pending: z
        .object({ scheduleTimestamp: z.string(), runbookUuid: z.string(), user: z.string() })
        .nullable(),
      running: z.object({ scheduleTimestamp: z.string(), runbookUuid: z.string() }).nullable(),
      error: z
        .object({
          message: z.string(),
          failedAt: z.string(),
          scheduleTimestamp: z.string(),
          runbookUuid: z.string(),
        })
        .nullable(),
      lastRun: z
        .object({ scheduleTimestamp: z.string(), finishedAt: z.string(), status: z.string() })
        .nullable(),
      deleted: z.boolean(),
    })
    .nullable()
    .describe("The node workflow's state; null before the node's first schedule or cancel."),
});
const answers = (form: 'JSON' | 'XML') =>
  `${form} answer \`{errorNumber, scheduleTimestamp?, errorMessage?}\`: 0 success; 101 not authorised, 102 node ` +
  `not found, 103 parameter error, 106 rejected due to existing errors, 110 temporary.`;

const identifierOf = (request: FastifyRequest): string =>
  (request.params as { identifier: string }).identifier;

/** Declares the node and schedule service routes on `app`. */
export function registerNodeRoutes(app: ZodFastify, nodes: NodeApiService): void {
  const tags = ['schedule nodes'];
  app.post(
    '/v1/nodes',
    {
      config: { readsBody: true },
      schema: {
        operationId: 'registerScheduleNode',
        summary: 'Register a schedule node',
        description:
          'The caller becomes one of its admins. Identifier and reference are unique per solution.',
        tags,
        body: RegisterNodeInputSchema,
        response: {
          201: json('The node as stored.', ScheduleNodeSchema),
          409: json('`Schedule node identifier|reference must be unique per solution`', ErrorBodySchema),
          422: json('`Failed to register schedule node: [...]`', ErrorBodySchema),
          ...COMMON,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await nodes.registerNode(request.principal, request.body)),
  );
  app.get(
    '/v1/nodes',
    {
      schema: {
        operationId: 'listScheduleNodes',
        summary: 'List schedule nodes',
        tags,
        response: {
          200: json("The solution's nodes.", z.object({ nodes: z.array(ScheduleNodeSchema) })),
          ...COMMON,
        },
      },
    },
    async (request) => ({ nodes: await nodes.listNodes(request.principal) }),
  );
  app.get(
    '/v1/nodes/:identifier',
    {
      schema: {
        operationId: 'getScheduleNode',
        summary: 'A schedule node, with its pending run and error members',
        tags,
        params: IdentifierParams,
        response: {
          200: json('The node.', NodeViewSchema),
          404: json('`Schedule node not found`', ErrorBodySchema),
          ...COMMON,
        },
      },
    },
    (request) => nodes.getNode(request.principal, identifierOf(request)),
  );
  app.delete(
    '/v1/nodes/:identifier',
    {
      schema: {
        operationId: 'deleteScheduleNode',
        summary: 'Delete a schedule node; its pending run is cancelled',
        tags,
        params: IdentifierParams,
        response: {
          200: json('Deleted.', z.object({ success: z.literal(true), cancelled: z.boolean() })),
          403: json('`Admin authority over schedule node "<identifier>" is required`', ErrorBodySchema),
          404: json('`Schedule node not found`', ErrorBodySchema),
          ...COMMON,
        },
      },
    },
    (request) => nodes.deleteNode(request.principal, identifierOf(request)),
  );
  app.post(
    '/v1/nodes/:identifier/clear-error',
    {
      schema: {
        operationId: 'clearScheduleNodeError',
        summary: "Clear a schedule node's error, so schedule is accepted again",
        tags,
        params: IdentifierParams,
        response: {
          200: json('Whether an error was set.', z.object({ cleared: z.boolean() })),
          403: json('`Admin authority over schedule node "<identifier>" is required`', ErrorBodySchema),
          404: json('`Schedule node not found`', ErrorBodySchema),
          ...COMMON,
        },
      },
    },
    (request) => nodes.clearNodeError(request.principal, identifierOf(request)),
  );
  app.post(
    '/v1/schedule-service',
    {
      config: { readsBody: true },
      schema: {
        operationId: 'scheduleService',
        summary: 'Schedule service (JSON form): schedule, cancel or query a run on a schedule node',
        description: `${answers('JSON')} HTTP status by number: 200, 403, 404, 422, 409, 503.`,
        tags,
        body: ScheduleServiceInputSchema,
        response: {
          200: json(
            'Success; no `scheduleTimestamp` after schedule means an earlier or equal run is pending.',
            ScheduleServiceAnswerSchema,
          ),
          403: json('errorNumber 101', ScheduleServiceAnswerSchema),
          404: json('errorNumber 102', ScheduleServiceAnswerSchema),
          409: json('errorNumber 106', ScheduleServiceAnswerSchema),
          422: json('errorNumber 103', ScheduleServiceAnswerSchema),
          ...COMMON,
          // An outage is a temporary error of the service's own protocol: errorNumber 110.
          503: json('errorNumber 110 (an outage included)', ScheduleServiceAnswerSchema),
        },
      },
    },
    async (request, reply) => {
      const answer = await nodes.scheduleService(request.principal, request.body ?? {});
      return reply.code(STATUS_OF_ERROR_NUMBER[answer.errorNumber] ?? 500).send(answer);
    },
  );
  app.post(
    '/v1/schedule-service/xml',
    {
      config: { readsText: true },
      schema: {
        operationId: 'scheduleServiceXml',
        summary: "Schedule service (the seed's XML form, `<ScheduleService>`)",
        description:
          `${answers('XML')} Always HTTP 200 once authenticated: the number is the outcome. The \`password\` ` +
          `element is refused (103): authenticate with the bearer token. At most ${MAX_XML_BYTES} bytes; no DOCTYPE.`,
        tags,
        consumes: ['application/xml'],
        body: z.string().describe('<ScheduleService>...</ScheduleService>'),
        response: {
          200: {
            description: '`<ScheduleServiceResponse><errorNumber>0</errorNumber>...`',
            content: { 'application/xml': { schema: z.string() } },
          },
          401: COMMON[401],
          500: COMMON[500],
        },
      },
    },
    async (request, reply) => {
      const read = parseScheduleServiceXml(typeof request.body === 'string' ? request.body : '');
      const answer: ScheduleServiceAnswer =
        'problem' in read
          ? { errorNumber: ErrorNumber.ParameterError, errorMessage: NodeMessages.parameter(read.problem) }
          : await nodes.scheduleService(request.principal, read.input);
      return reply.code(200).type('application/xml; charset=utf-8').send(renderScheduleServiceAnswer(answer));
    },
  );
}
