/**
 * Errors of the HTTP layer itself (authentication, routing, the request body) and the status code of every
 * error the API answers. The messages are exact strings, tested verbatim: callers match on them.
 */
import { ActionErrorCode } from '../connector/errors';

/** Largest request body the API reads, in bytes (256 KiB). */
export const MAX_BODY_BYTES = 256 * 1024;

/** Exact messages of the HTTP layer. */
export const ApiMessages = {
  unauthenticated: 'Missing or unknown bearer token',
  noRoute: (method: string, path: string) => `No route for ${method} ${path}`,
  methodNotAllowed: (method: string, path: string) => `Method ${method} not allowed on ${path}`,
  invalidJson: 'Request body is not valid JSON',
  notAnObject: 'Request body must be a JSON object',
  badReferenceEncoding: 'Schedule reference in the path is not valid percent-encoding',
  bodyTooLarge: `Request body must be at most ${MAX_BODY_BYTES} bytes`,
  rateLimited: (perMinute: number) => `Too many requests: at most ${perMinute} per minute for this token`,
} as const;

/** A request the HTTP layer refuses before (or instead of) calling the service; answered `{error, details}`. */
export class HttpApiError extends Error {
  override readonly name = 'HttpApiError';
  constructor(
    /** The HTTP status code to answer with. */
    readonly status: number,
    message: string,
    readonly details: readonly string[] = [],
    /** Methods the path does answer, for a 405's `Allow` header. */
    readonly allow?: readonly string[],
    /** Seconds until a 429's caller may try again, for its `Retry-After` header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Status code of a failed connector action: invalid and unsupported input are 422, as in FEATURES.md. */
export const STATUS_OF_ACTION_ERROR: Readonly<Record<ActionErrorCode, number>> = {
  [ActionErrorCode.Invalid]: 422,
  [ActionErrorCode.NotFound]: 404,
  [ActionErrorCode.Conflict]: 409,
  [ActionErrorCode.QuotaExceeded]: 429,
  [ActionErrorCode.Unsupported]: 422,
  [ActionErrorCode.Forbidden]: 403,
  [ActionErrorCode.TooEarly]: 429,
};
