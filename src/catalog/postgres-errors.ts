/**
 * The one place where the PostgreSQL driver's errors are translated into the catalog's: what means the database
 * cannot serve now becomes an {@link UnavailableError} (HTTP 503, CLI exit 1) whose reason names neither the
 * server's address nor the database URL, and so never its password. Anything else (a bug, a constraint) is
 * returned unchanged.
 */
import { Dependency, UnavailableError } from '../errors';

/** Reasons of the {@link UnavailableError}s raised by the PostgreSQL catalog, exact strings. */
export const PostgresUnavailableReason = {
  unreachable: 'the database server cannot be reached',
  timeout: 'the database server did not answer in time',
  connectionLost: 'the connection to the database server was lost',
  credentials: 'the database server refused the credentials',
  noDatabase: 'the database does not exist',
  privilege: 'the database user lacks a privilege the catalog needs',
  tls: 'the TLS connection to the database server failed',
  shuttingDown: 'the database server is starting up or shutting down',
  resources: 'the database server is out of resources',
  locked: 'the database is locked by another process',
  diskFull: 'the disk is full',
  readOnly: 'the database is read-only',
  corrupt: 'the database is corrupt',
} as const;

const R = PostgresUnavailableReason;

// SQLSTATE codes, or their two-character classes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const SQLSTATE_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['53100', R.diskFull],
  ['55P03', R.locked],
  ['57014', R.timeout],
  ['57P01', R.shuttingDown],
  ['57P02', R.shuttingDown],
  ['57P03', R.shuttingDown],
  ['57P05', R.connectionLost],
  ['3D000', R.noDatabase],
  ['25006', R.readOnly],
  ['42501', R.privilege],
  ['XX001', R.corrupt],
  ['XX002', R.corrupt],
  ['08', R.connectionLost],
  ['28', R.credentials],
  ['53', R.resources],
];

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOENT', // a Unix socket path that does not exist
]);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

// The driver's own errors carry no code; these are its messages (pg 8).
const MESSAGE_REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^timeout exceeded when trying to connect$/, R.timeout],
  [/^Connection terminated due to connection timeout$/, R.timeout],
  [/^Query read timeout$/, R.timeout],
  [/^Connection terminated( unexpectedly)?$/, R.connectionLost],
  [/^SASL: /, R.credentials],
  [/^The server does not support SSL connections$/, R.tls],
];

function reasonOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, severity, message, errors } = err as {
    code?: unknown;
    severity?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  // A server error (the driver's DatabaseError): a five-character SQLSTATE and a severity.
  if (typeof code === 'string' && typeof severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return SQLSTATE_REASONS.find(([prefix]) => code.startsWith(prefix))?.[1];
  }
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return R.unreachable;
    if (LOST_CODES.has(code)) return R.connectionLost;
    if (code === 'ETIMEDOUT') return R.timeout;
    if (/CERT|^ERR_TLS_|^ERR_SSL_/.test(code)) return R.tls;
  }
  // Every address of a host name refused (Node's happy eyeballs): an AggregateError of the attempts.
  if (Array.isArray(errors)) {
    const reasons = errors.map(reasonOf);
    if (reasons.length > 0 && reasons.every((r) => r !== undefined)) return reasons[0];
  }
  if (typeof message === 'string') return MESSAGE_REASONS.find(([pattern]) => pattern.test(message))?.[1];
  return undefined;
}

/**
 * The {@link UnavailableError} for a PostgreSQL error that means the database cannot serve now (unreachable,
 * timed out, connection lost, credentials refused, no such database, shutting down, out of resources, a lock
 * held beyond the lock timeout, read-only, full disk); any other error is returned unchanged. An
 * {@link UnavailableError} is returned as it is.
 */
export function translatePostgresError(err: unknown): unknown {
  if (err instanceof UnavailableError) return err;
  const reason = reasonOf(err);
  return reason === undefined ? err : new UnavailableError(Dependency.Catalog, reason, { cause: err });
}
