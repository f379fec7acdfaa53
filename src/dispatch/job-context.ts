/**
 * Job context identifier of a Dynamic Scheduler run (FEATURES.md A6). Pure and deterministic.
 */

/** Outcome of resolving `job_context_identifier_path`. */
export type JobContextResolution =
  | { readonly identifier: string; readonly error: null }
  | { readonly identifier: null; readonly error: null }
  | { readonly identifier: null; readonly error: string };

/** The log line written when traversal fails, exactly as FEATURES.md A6 states it. */
export function jobContextErrorMessage(errorName: string, message: string): string {
  return `Unable to determine job context identifier. ${errorName}: ${message}`;
}

const MISSING = Symbol('missing');

/** An empty body (`nil` or `''` upstream) holds no key: looking one up is a miss, not a traversal error. */
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function walk(root: unknown, segments: readonly string[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (isEmpty(current)) return MISSING;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) {
        throw new TypeError(`no implicit conversion of String into Integer (segment "${segment}")`);
      }
      const index = Number(segment);
      if (index >= current.length) return MISSING;
      current = current[index];
    } else if (typeof current === 'object') {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return MISSING;
      current = (current as Record<string, unknown>)[segment];
    } else {
      // The value itself may be a secret of the tenant's body: the message names only its type.
      throw new TypeError(`cannot read "${segment}" of a ${typeof current}`);
    }
  }
  return current;
}

function asIdentifier(value: unknown): string | null {
  if (value === MISSING || value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Resolves a dot path against `{ body, triggered_at }`: a path starting with `body.` (or `body` itself) or naming
 * `triggered_at` is resolved as written; any other path under `body` first and, if absent there, at the top
 * level. Numeric segments index arrays. No match gives no identifier; indexing into a non-object gives the
 * error line of {@link jobContextErrorMessage} and no identifier. An empty body (null or `''`) is accepted and
 * simply holds no key.
 */
export function resolveJobContextIdentifier(
  path: string | undefined,
  request: { readonly body: unknown; readonly triggered_at: string },
): JobContextResolution {
  const trimmed = path?.trim() ?? '';
  if (trimmed === '') return { identifier: null, error: null };
  const segments = trimmed.split('.');
  const first = segments[0];
  const root = { body: request.body, triggered_at: request.triggered_at };
  try {
    let value: unknown;
    if (first === 'body' || first === 'triggered_at') {
      value = walk(root, segments);
    } else {
      value = walk(request.body, segments);
      if (value === MISSING) value = walk(root, segments);
    }
    return { identifier: asIdentifier(value), error: null };
  } catch (err) {
    const e = err as Error;
    return { identifier: null, error: jobContextErrorMessage(e.name, e.message) };
  }
}

/** Longest identifier kept verbatim in a workflow id or search attribute (Temporal caps both). */
export const MAX_IDENTIFIER_LENGTH = 200;

/**
 * The identifier as it can travel in a workflow id and a Keyword search attribute: verbatim up to
 * {@link MAX_IDENTIFIER_LENGTH} characters; longer ones keep a prefix plus a hash of the whole, so equal
 * identifiers still correlate and a huge one (a whole body) never makes Temporal refuse the run.
 */
export function boundedIdentifier(identifier: string): string {
  if (identifier.length <= MAX_IDENTIFIER_LENGTH) return identifier;
  return `${identifier.slice(0, MAX_IDENTIFIER_LENGTH - 17)}~${fnv1a64(identifier)}`;
}

/** FNV-1a, 64 bits, as 16 hex digits: deterministic and free of Node built-ins (runs in workflows). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
