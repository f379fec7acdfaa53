/**
 * Rules for a target's own HTTP headers (issue 9.4), checked at registration by the catalog schema and again at
 * dispatch. Pure and free of Node built-ins: the catalog schema also runs inside workflows.
 *
 * `Content-Type` and `User-Agent` may be given but are always replaced by the platform's (`application/json`,
 * `runbook-scheduler`): harmless, common, and refusing them would break runbooks registered with them.
 */

/** Most headers a target may carry. */
export const MAX_TARGET_HEADERS = 32;
/** Longest header name, in characters. */
export const MAX_TARGET_HEADER_NAME_LENGTH = 256;
/** Longest header value, in characters (each one byte on the wire). */
export const MAX_TARGET_HEADER_VALUE_LENGTH = 8 * 1024;
/** Longest target URL, in characters. */
export const MAX_TARGET_URL_LENGTH = 2048;

/**
 * Headers a target may not set, lower case: connection and framing headers (the HTTP client owns them, and a
 * wrong one breaks every dispatch) and the platform's own correlation headers.
 */
export const FORBIDDEN_TARGET_HEADERS: readonly string[] = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'http2-settings',
  'idempotency-key',
  'x-job-context-identifier',
];

/** Every `Proxy-*` header (`Proxy-Authorization`, `Proxy-Connection`, ...) is the proxy's, not the target's. */
const FORBIDDEN_PREFIX = 'proxy-';

/** An RFC 9110 token: the only valid header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 field-value characters: HTAB, SP, visible ASCII and obs-text; no CR, LF, NUL or other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** `Target url must be at most 2048 characters`. */
export const TARGET_URL_TOO_LONG_MESSAGE = `Target url must be at most ${MAX_TARGET_URL_LENGTH} characters`;

/** The message for a target URL, or `undefined` when its length is acceptable. */
export function targetUrlLengthProblem(url: string): string | undefined {
  return url.length > MAX_TARGET_URL_LENGTH ? TARGET_URL_TOO_LONG_MESSAGE : undefined;
}

/**
 * Every problem of a target's headers, each naming the header (never quoting its value, which may be a secret):
 * - `Target headers must be at most 32`
 * - `Target header names must be at most 256 characters`
 * - `Target header "<name>" is not a valid header name`
 * - `Target header "<name>" is not allowed`
 * - `Target header "<name>" is given more than once`
 * - `Target header "<name>" value must be at most 8192 characters`
 * - `Target header "<name>" value must not contain CR, LF or NUL`
 * - `Target header "<name>" value must contain only printable Latin-1 characters (percent-encode others)`
 */
export function targetHeaderProblems(headers: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const entries = Object.entries(headers);
  if (entries.length > MAX_TARGET_HEADERS) {
    problems.push(`Target headers must be at most ${MAX_TARGET_HEADERS}`);
    return problems;
  }
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (name.length > MAX_TARGET_HEADER_NAME_LENGTH) {
      problems.push(`Target header names must be at most ${MAX_TARGET_HEADER_NAME_LENGTH} characters`);
      continue;
    }
    // JSON quoting shows a control character in a bad name as an escape, never raw.
    const quoted = JSON.stringify(name);
    if (!TOKEN.test(name)) {
      problems.push(`Target header ${quoted} is not a valid header name`);
      continue;
    }
    const lower = name.toLowerCase();
    if (FORBIDDEN_TARGET_HEADERS.includes(lower) || lower.startsWith(FORBIDDEN_PREFIX)) {
      problems.push(`Target header ${quoted} is not allowed`);
      continue;
    }
    if (seen.has(lower)) problems.push(`Target header ${quoted} is given more than once`);
    seen.add(lower);
    if (value.length > MAX_TARGET_HEADER_VALUE_LENGTH) {
      problems.push(
        `Target header ${quoted} value must be at most ${MAX_TARGET_HEADER_VALUE_LENGTH} characters`,
      );
    } else if (/[\r\n\0]/.test(value)) {
      problems.push(`Target header ${quoted} value must not contain CR, LF or NUL`);
    } else if (!FIELD_VALUE.test(value)) {
      problems.push(
        `Target header ${quoted} value must contain only printable Latin-1 characters (percent-encode others)`,
      );
    }
  }
  return problems;
}
