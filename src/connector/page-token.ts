/**
 * The opaque `next_page_token` of List Schedules: Temporal's next-page token, wrapped with a tag of the solution
 * that was listed, base64url. A token is accepted only by the solution it was issued to, and only when it holds
 * a token of the shape Temporal's visibility stores issue (a JSON object, on SQL and Elasticsearch alike), so a
 * forged one is refused here rather than sent to Temporal (which answers a malformed token with a retried
 * UNKNOWN). The tag is not a signature: a caller who edits the inner JSON can only move within the query of its
 * own solution, which the gateway builds from the caller's solution and re-checks on every entry.
 */
import { createHash } from 'node:crypto';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';

/** Version of the token's layout. */
const VERSION = 1;

/** The tag of a solution inside its tokens: not a secret, only a mismatch check. */
function tagOf(solution: string): string {
  return createHash('sha256').update(solution, 'utf8').digest('base64url').slice(0, 16);
}

/** The token a caller passes back for the page after the one Temporal answered with `temporalToken`. */
export function encodePageToken(solution: string, temporalToken: Uint8Array): string {
  const body = { v: VERSION, s: tagOf(solution), t: Buffer.from(temporalToken).toString('base64') };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * Temporal's token inside a token the solution was given.
 * @throws {@link ScheduleActionError} `Page token is invalid` for anything else (another solution's included).
 */
export function decodePageToken(solution: string, token: string): Uint8Array {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidPageToken();
  }
  const { v, s, t } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (v !== VERSION || s !== tagOf(solution) || typeof t !== 'string' || !/^[A-Za-z0-9+/]+=*$/.test(t)) {
    throw invalidPageToken();
  }
  const temporalToken = Buffer.from(t, 'base64');
  if (!isJsonObject(temporalToken)) throw invalidPageToken();
  return new Uint8Array(temporalToken);
}

/** Whether `bytes` are the UTF-8 JSON text of an object. */
function isJsonObject(bytes: Buffer): boolean {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The error of a page token the service does not accept. */
export function invalidPageToken(): ScheduleActionError {
  return new ScheduleActionError(Messages.pageTokenInvalid, ActionErrorCode.Invalid, [
    Messages.pageTokenInvalid,
  ]);
}
