/**
 * The codec endpoint: Temporal's codec-server protocol over the product's payload codec, so the Temporal Web UI
 * (`temporal server start-dev --ui-codec-endpoint`) and CLI (`temporal workflow show --codec-endpoint`) show the
 * encrypted payloads decoded to operators who point at it.
 *
 * `POST <base>/encode` and `POST <base>/decode` take and answer `{"payloads": [{"metadata": {"<key>": "<base64>"},
 * "data": "<base64>"}]}` (payloads in proto3 JSON: every bytes field base64). Browsers' preflight `OPTIONS` is
 * answered for the Web UI's origins (`Authorization`, `Content-Type` and `X-Namespace` allowed).
 *
 * Operators only, never tenants: the endpoint does not take the API's tenant tokens. With
 * `RUNBOOK_SCHEDULER_CODEC_TOKEN` set, every call must send `Authorization: Bearer <that token>`. Without it, the
 * endpoint is served only by the local demo setup (no API tokens, the API on loopback), to loopback callers only;
 * anywhere else it is not served at all (see {@link codecEndpointOptionsOf}).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Settings } from '../config';
import { PayloadDecryptionError, payloadCodecsOf } from '../temporal/codec';
import { HttpApiError } from './errors';

/** Where the product serves the codec endpoint. */
export const CODEC_ENDPOINT_PREFIX = '/v1/codec';
/** Largest codec request body, in bytes (4 MiB): a payload at Temporal's 2 MB blob limit, in base64, fits. */
export const CODEC_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Request headers a browser may send cross-origin (the Web UI sends these). */
export const CODEC_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Namespace'] as const;

/** Exact messages of the codec endpoint. */
export const CodecEndpointMessages = {
  unauthenticated: 'Missing or wrong codec token: send Authorization: Bearer <RUNBOOK_SCHEDULER_CODEC_TOKEN>',
  loopbackOnly: 'Without RUNBOOK_SCHEDULER_CODEC_TOKEN the codec endpoint answers loopback callers only',
  originNotAllowed: (origin: string) => `Origin ${origin} may not call the codec endpoint`,
  invalidBody:
    'Codec request body must be {"payloads": [{"metadata": {"<key>": "<base64>"}, "data": "<base64>"}]}',
  bodyTooLarge: `Codec request body must be at most ${CODEC_MAX_BODY_BYTES} bytes`,
} as const;

/** Options of {@link codecEndpoint}. */
export interface CodecEndpointOptions {
  /** The codec the payloads go through: the one the client and the worker use. */
  readonly codec: PayloadCodec;
  /**
   * The bearer token every call must send. Undefined: no token is asked for and only loopback callers are
   * answered (the local demo setup).
   */
  readonly token?: string;
  /** Browser origins (the Temporal Web UI's) allowed to call the endpoint; a call from any other is refused. */
  readonly allowedOrigins: readonly string[];
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** One payload in proto3 JSON. */
export const JsonPayloadSchema = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});
/** A payload in proto3 JSON, as the codec-server protocol carries it. */
export type JsonPayload = z.infer<typeof JsonPayloadSchema>;

/** The body of a codec-server request, and of its answer. */
export const CodecRequestSchema = z.object({ payloads: z.array(JsonPayloadSchema) });
/** The body of a codec-server request. */
export type CodecRequest = z.infer<typeof CodecRequestSchema>;

/** A payload of proto3 JSON (base64 bytes) as the SDK holds it. */
export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

/** A payload in proto3 JSON (base64 bytes). */
export function payloadToJson({ metadata, data }: Payload): {
  metadata: Record<string, string>;
  data: string;
} {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

/** Hosts that are loopback, for the API's bind address. */
const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** True when a peer address is loopback (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Whether and how `npm start` serves the codec endpoint, from the settings:
 * - without a codec key: not served (payloads are in clear; there is nothing to decode);
 * - with `RUNBOOK_SCHEDULER_CODEC_TOKEN`: served, every call needing that bearer token;
 * - without it: served only in the local demo setup (no `RUNBOOK_SCHEDULER_API_TOKENS`, the API bound to
 *   loopback), where the demo token already opens the API to anyone on this machine, and to loopback callers
 *   only; otherwise not served.
 *
 * The Web UI's origins are the embedded dev server's, `http://localhost:<TEMPORAL_DEV_UI_PORT>` and
 * `http://127.0.0.1:<TEMPORAL_DEV_UI_PORT>`.
 */
export function codecEndpointOptionsOf(
  settings: Pick<Settings, 'codecKeys' | 'codecToken' | 'apiTokens' | 'httpHost' | 'temporalUiPort'>,
): CodecEndpointOptions | undefined {
  const [codec] = payloadCodecsOf(settings);
  if (codec === undefined) return undefined;
  const allowedOrigins = [
    `http://localhost:${settings.temporalUiPort}`,
    `http://127.0.0.1:${settings.temporalUiPort}`,
  ];
  if (settings.codecToken !== undefined) return { codec, token: settings.codecToken, allowedOrigins };
  const demo = settings.apiTokens === undefined && LOOPBACK_HOSTS.includes(settings.httpHost);
  return demo ? { codec, allowedOrigins } : undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when the header carries the token; compares digests in constant time. */
function hasToken(authorization: string | undefined, token: string): boolean {
  const header = authorization ?? '';
  if (!header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice('Bearer '.length).trim()), digest(token));
}

/** Sets the CORS headers of an allowed origin; refuses any other. */
function allowOrigin(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void {
  void reply.header('vary', 'Origin');
  const origin = request.headers.origin;
  // Clients that are not browsers (the CLI) send no Origin; browsers always send one cross-origin and on POST.
  if (origin === undefined) return;
  if (!allowed.includes(origin)) throw new HttpApiError(403, CodecEndpointMessages.originNotAllowed(origin));
  void reply.header('access-control-allow-origin', origin);
  // The Web UI's "include cross-origin credentials" option needs it; the token is never a cookie.
  void reply.header('access-control-allow-credentials', 'true');
}

/** Runs the request's payloads through the codec; an undecryptable one is a 400 naming its key id. */
async function transcode(
  codec: PayloadCodec,
  operation: 'encode' | 'decode',
  body: unknown,
): Promise<{ payloads: ReturnType<typeof payloadToJson>[] }> {
  const parsed = CodecRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new HttpApiError(
      400,
      CodecEndpointMessages.invalidBody,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
    );
  }
  const payloads = parsed.data.payloads.map(payloadFromJson);
  try {
    const done = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    return { payloads: done.map(payloadToJson) };
  } catch (err) {
    if (err instanceof PayloadDecryptionError) throw new HttpApiError(400, err.message);
    throw err;
  }
}

/**
 * The codec endpoint as a Fastify plugin; register it with the prefix {@link CODEC_ENDPOINT_PREFIX}. Its routes
 * are public to the tenant authentication: they check their own token (or loopback peer) and origin.
 *
 * Refusals: 401 {@link CodecEndpointMessages.unauthenticated}, 403 for another origin or (without a token) a peer
 * that is not loopback, 400 for a body that is not the protocol's or a payload that does not decrypt (the
 * message names the key id), 413 over {@link CODEC_MAX_BODY_BYTES}.
 */
export const codecEndpoint: FastifyPluginCallback<CodecEndpointOptions> = (scope, options, done) => {
  const { codec, token, allowedOrigins } = options;

  scope.addHook('onRequest', (request, reply, next) => {
    try {
      // First, so that refusals reach the Web UI readable, with their CORS headers.
      allowOrigin(request, reply, allowedOrigins);
      if (request.method === 'OPTIONS') return next();
      if (token === undefined) {
        if (!isLoopbackPeer(request.socket.remoteAddress)) {
          throw new HttpApiError(403, CodecEndpointMessages.loopbackOnly);
        }
      } else if (!hasToken(request.headers.authorization, token)) {
        throw new HttpApiError(401, CodecEndpointMessages.unauthenticated);
      }
      next();
    } catch (refusal) {
      next(refusal as Error);
    }
  });

  scope.setErrorHandler((error: FastifyError) => {
    // The API's own limit and message are for its JSON routes; a codec body has its own.
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new HttpApiError(413, CodecEndpointMessages.bodyTooLarge);
    }
    throw error;
  });

  for (const operation of ['encode', 'decode'] as const) {
    scope.route({
      method: 'POST',
      url: `/${operation}`,
      bodyLimit: CODEC_MAX_BODY_BYTES,
      config: { public: true, readsBody: true },
      schema: { hide: true },
      handler: async (request) => await transcode(codec, operation, request.body),
    });
    scope.route({
      method: 'OPTIONS',
      url: `/${operation}`,
      config: { public: true },
      schema: { hide: true },
      handler: (request, reply) => {
        void reply
          .header('access-control-allow-methods', 'POST, OPTIONS')
          .header('access-control-allow-headers', CODEC_ALLOWED_HEADERS.join(', '))
          .header('access-control-max-age', '600');
        // Chrome's Private Network Access asks before a page calls a loopback or private address.
        if (request.headers['access-control-request-private-network'] === 'true') {
          void reply.header('access-control-allow-private-network', 'true');
        }
        return reply.code(204).send();
      },
    });
  }
  done();
};
