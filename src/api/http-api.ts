/**
 * The HTTP API: JSON over HTTP on Fastify, a thin layer over the scheduler service (routes in `./routes`, the
 * OpenAPI document in `./openapi`). Each caller authenticates with a bearer token; the token decides the
 * solution, so no caller can name another solution's schedules.
 *
 * Every error is answered here, in one place: the service's {@link ScheduleActionError} with its status and
 * exact message, {@link UnavailableError} with 503, the HTTP layer's own refusals, and anything else with 500
 * and a request id, its detail only in the log.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import { ScheduleActionError } from '../connector/errors';
import { INTERNAL_ERROR_MESSAGE } from '../connector/outputs';
import { UnavailableError } from '../errors';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from '../config';
import type { Principal } from '../principal';
import { principalOf, type TokenMap } from './auth';
import { CODEC_ENDPOINT_PREFIX, codecEndpoint, type CodecEndpointOptions } from './codec-endpoint';
import { RateLimiter } from './rate-limit';
import { ApiMessages, HttpApiError, MAX_BODY_BYTES, STATUS_OF_ACTION_ERROR } from './errors';
import { swaggerOptions } from './openapi';
import { registerRoutes, type HttpApiService, type ZodFastify } from './routes';
import { registerWorkspaceRoutes } from './workspace-routes';
import type { WorkspaceService } from '../workspace/service';
import { registerNodeRoutes, type NodeApiService } from './node-routes';
import { registerOperationRoutes, type HttpOperationsApi } from './operation-routes';
import { registerInstanceRoutes } from './instance-routes';
import type { InstanceService } from '../instances/service';

export type { TokenMap } from './auth';
export type { HttpApiService } from './routes';

/** Options of {@link buildHttpApi}. */
export interface HttpApiOptions {
  /**
   * Fastify's `logger` option: `false`, `true`, or pino options (a `level`, a `stream`). Unexpected errors are
   * logged at `error` with their stack.
   * @default `{ level: 'warn' }`: failures only, no line per request
   */
  readonly logger?: FastifyServerOptions['logger'];
  /**
   * Serve the codec endpoint for the Temporal Web UI and CLI under `/v1/codec` (operators only: it never takes a
   * tenant token). @default not served
   */
  readonly codec?: CodecEndpointOptions;
  /** The schedule operations (start, stop, retry, status, run-now; durable pause and resume). @default none */
  readonly operations?: HttpOperationsApi;
  /** Requests per minute one bearer token may make; more are answered 429. @default {@link DEFAULT_RATE_LIMIT_PER_MINUTE} */
  readonly rateLimitPerMinute?: number;
  /** The workspace schedules' service (`/v1/workspace/`); without it those routes answer 404. @default none */
  readonly workspace?: WorkspaceService;
  /** The schedule service and its nodes (`/v1/nodes`, `/v1/schedule-service`). @default not served */
  readonly nodes?: NodeApiService;
  /** The instance operations (`/v1/schedules/:reference/instances…`). @default those routes answer `No route` */
  readonly instances?: InstanceService;
}

/** The running API of {@link startHttpApi}. */
export interface RunningHttpApi {
  /** The port it listens on (the one chosen when 0 was asked for). */
  readonly port: number;
  /** Stops listening; resolves once in-flight requests are answered. */
  close(): Promise<void>;
}

/** The path of a request URL as the caller wrote it (percent-encoding kept), without the query string. */
function pathOf(url: string): string {
  return new URL(url, 'http://localhost').pathname;
}

/** True when `path` has the shape of the route `pattern` (`/v1/schedules/:reference/runs`), segment by segment. */
function hasShapeOf(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  return (
    want.length === got.length &&
    want.every((segment, i) => (segment.startsWith(':') ? got[i] !== '' : segment === got[i]))
  );
}

/** Answers an error: its status and body, a 500 logged with its stack and never echoed. */
function send(reply: FastifyReply, error: unknown): FastifyReply {
  const request = reply.request;
  if (error instanceof ScheduleActionError) {
    return reply
      .code(STATUS_OF_ACTION_ERROR[error.code])
      .send({ error: error.message, details: error.details });
  }
  if (error instanceof HttpApiError) {
    if (error.allow) void reply.header('allow', error.allow.join(', '));
    if (error.status === 401) void reply.header('www-authenticate', 'Bearer');
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.code(error.status).send({ error: error.message, details: error.details });
  }
  if (error instanceof UnavailableError) return reply.code(503).send({ error: error.message });
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).send({ error: ApiMessages.bodyTooLarge, details: [] });
  }
  // Fastify's own refusals of a malformed request (a Content-Length that does not match, say).
  const status = fastifyError.statusCode ?? 500;
  if (fastifyError.code?.startsWith('FST_') && status >= 400 && status < 500) {
    return reply.code(status).send({ error: fastifyError.message, details: [] });
  }
  request.log.error({ err: error }, 'Unexpected error answering %s %s', request.method, pathOf(request.url));
  return reply.code(500).send({ error: INTERNAL_ERROR_MESSAGE, request_id: request.id });
}

/**
 * Builds the HTTP API over a service, not listening: call `listen`, or `inject` in tests.
 *
 * `GET /v1/openapi.json` is public; every other route needs a bearer token of `tokens`. Request bodies are
 * read as JSON whatever their content type (curl's `-d` sends a form content type), up to
 * {@link MAX_BODY_BYTES}.
 */
export function buildHttpApi(
  service: HttpApiService,
  tokens: TokenMap,
  options: HttpApiOptions = {},
): ZodFastify {
  /** Route pattern -> its methods, and whether it is public: the 405s and bad-URL answers are derived from it. */
  const paths = new Map<string, { methods: string[]; public: boolean }>();

  const limiter = new RateLimiter(options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE);
  const authenticate = (request: FastifyRequest, isPublic: boolean): void => {
    if (isPublic) return;
    const principal = principalOf(tokens, request.headers.authorization);
    if (principal === undefined) throw new HttpApiError(401, ApiMessages.unauthenticated);
    // Only a configured token gets this far, so the limiter holds at most one bucket per configured token.
    const verdict = limiter.take(request.headers.authorization ?? '');
    if (!verdict.allowed) {
      throw new HttpApiError(
        429,
        ApiMessages.rateLimited(limiter.perMinute),
        [],
        undefined,
        verdict.retryAfterSeconds,
      );
    }
    request.principal = principal;
    request.solution = principal.solution;
  };

  const app = Fastify({
    logger: options.logger ?? { level: 'warn' },
    genReqId: () => randomUUID(),
    bodyLimit: MAX_BODY_BYTES,
    // Explicit routes only: HEAD is answered 405 like any other method a path does not declare.
    exposeHeadRoutes: false,
    // The router's default limit (100) is below a 200-character reference once percent-encoded (up to 12 per
    // character): the service judges a reference's length, with its own message.
    routerOptions: { maxParamLength: 16 * 1024 },
    // A path whose percent-encoding cannot be decoded never reaches routing or hooks.
    frameworkErrors: (error, request, reply) => {
      try {
        const path = pathOf(request.url);
        const route = [...paths].find(([pattern]) => hasShapeOf(pattern, path));
        authenticate(request, route?.[1].public ?? false);
        if (error.code === 'FST_ERR_BAD_URL' && route?.[0].includes(':reference')) {
          throw new HttpApiError(400, ApiMessages.badReferenceEncoding);
        }
        throw new HttpApiError(404, ApiMessages.noRoute(request.method, path));
      } catch (refusal) {
        send(reply, refusal);
      }
    },
  }).withTypeProvider<ZodTypeProvider>();

  // The route schemas describe; the service parses the raw input and owns the messages (see ./routes). Outputs
  // are sent as the service returned them.
  // `true` accepts and leaves the value untouched (a `{value}` would turn an absent body into null).
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.removeAllContentTypeParsers();
  // 'remove': a `__proto__` or `constructor.prototype` key is dropped, never merged into an object.
  const parseJson = app.getDefaultJsonParser('remove', 'remove');
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (request.routeOptions.config.readsText) {
      done(null, text);
      return;
    }
    if (!request.routeOptions.config.readsBody || text.length === 0) {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, (error, value) => {
      if (error) done(new HttpApiError(400, ApiMessages.invalidJson), undefined);
      else done(null, value);
    });
  });
  // Bodies are JSON whatever their content type, so the header plays no part in parsing; but Fastify would
  // answer a header that is not even a media type (empty, `garbage`) with its bare 415 before any parser ran.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (request.headers['content-type'] !== undefined) request.headers['content-type'] = 'application/json';
    done(null, payload);
  });

  app.decorateRequest('solution', '');
  // Fastify refuses an object as a decorator's initial value (it would be shared by every request); public routes
  // never read it, authenticated ones always get it set by `authenticate`.
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      authenticate(request, request.routeOptions.config.public === true);
      // `/v1/schedules/` routes with an empty reference, but no route names the empty reference.
      const params = request.params as Record<string, string | undefined>;
      if (params.reference === '') {
        throw new HttpApiError(404, ApiMessages.noRoute(request.method, pathOf(request.url)));
      }
      done();
    } catch (refusal) {
      done(refusal as Error);
    }
  });
  app.addHook('onRoute', (route) => {
    if (route.config?.methodNotAllowed) return;
    const entry = paths.get(route.url) ?? { methods: [], public: route.config?.public === true };
    entry.methods.push(...[route.method].flat());
    paths.set(route.url, entry);
  });

  app.setErrorHandler((error, _request, reply) => send(reply, error));
  app.setNotFoundHandler((request) => {
    throw new HttpApiError(404, ApiMessages.noRoute(request.method, pathOf(request.url)));
  });

  void app.register(fastifySwagger, swaggerOptions);
  void app.register((scope, _options, done) => {
    registerRoutes(scope, service);
    registerWorkspaceRoutes(scope, () => options.workspace);
    if (options.nodes) registerNodeRoutes(scope, options.nodes);
    registerOperationRoutes(scope, service, options.operations);
    registerInstanceRoutes(scope, options.instances);
    done();
  });
  if (options.codec) void app.register(codecEndpoint, { ...options.codec, prefix: CODEC_ENDPOINT_PREFIX });
  // After the routes: every method a declared path does not answer is a 405 naming the ones it does.
  void app.register((scope, _options, done) => {
    for (const [url, { methods, public: isPublic }] of paths) {
      const allow = [...methods].sort();
      scope.route({
        method: app.supportedMethods.filter((method) => !methods.includes(method)),
        url,
        config: { public: isPublic, methodNotAllowed: true },
        schema: { hide: true },
        handler: (request) => {
          throw new HttpApiError(
            405,
            ApiMessages.methodNotAllowed(request.method, pathOf(request.url)),
            [],
            allow,
          );
        },
      });
    }
    done();
  });
  return app;
}

/**
 * Starts the HTTP API on `host:port` (port 0: a free one); resolves once it listens.
 * @param host The address to bind. @default `127.0.0.1` (loopback only)
 */
export async function startHttpApi(
  service: HttpApiService,
  tokens: TokenMap,
  port: number,
  host = '127.0.0.1',
  options: HttpApiOptions = {},
): Promise<RunningHttpApi> {
  const app = buildHttpApi(service, tokens, options);
  await app.listen({ port, host });
  return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}

/** A service for building the app only to read its document: no route is ever called. */
const NO_SERVICE = new Proxy(
  {},
  { get: () => () => Promise.reject(new Error('The OpenAPI document is built without a service')) },
) as HttpApiService;

/** The OpenAPI 3.1 document of the API, as `GET /v1/openapi.json` serves it (and `schemas/openapi.json` holds). */
export async function openApiDocument(): Promise<OpenAPIV3_1.Document> {
  const app = buildHttpApi(NO_SERVICE, new Map(), {
    logger: false,
    nodes: NO_SERVICE as unknown as NodeApiService,
    operations: NO_SERVICE as unknown as HttpOperationsApi,
  });
  try {
    await app.ready();
    return app.swagger() as OpenAPIV3_1.Document;
  } finally {
    await app.close();
  }
}
