/**
 * The catalog's errors and warnings, and the one place where SQLite's errors are translated into them
 * (PostgreSQL's: `postgres-errors.ts`).
 * Reasons and messages never contain a path: they reach HTTP clients and the CLI's output.
 */
import Database from 'better-sqlite3';
import { Dependency, UnavailableError } from '../errors';

/**
 * The old JSON catalog cannot be imported: it is not JSON, or not `{version: 1, runbooks: [...]}`. Nothing was
 * imported and the file was left in place; the catalog opens once the file is repaired or moved away.
 */
export class CatalogImportError extends Error {
  override readonly name = 'CatalogImportError';
  constructor(
    /** Base name of the file (`catalog.json`), never its directory. */
    readonly file: string,
    /** What is wrong with it. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot import ${file}: ${reason}`, options);
  }
}

/** Reasons of {@link UnavailableError}s raised by the catalog, exact strings. */
export const CatalogUnavailableReason = {
  locked: 'the database is locked by another process',
  ioError: 'disk I/O error',
  cannotOpen: 'the database file cannot be opened',
  diskFull: 'the disk is full',
  readOnly: 'the database is read-only',
  corrupt: 'the database file is corrupt',
  noWal: 'the database cannot use write-ahead logging on this file system',
  dataDir: 'the data directory cannot be created',
  legacyFile: 'the old catalog file cannot be read',
  closed: 'the catalog is closed',
  newerSchema: (found: number, known: number) =>
    `the database has schema version ${found}, this program knows up to ${known}`,
} as const;

// Primary result codes (the part before the first underscore-suffix: SQLITE_IOERR_FSYNC is an SQLITE_IOERR).
const SQLITE_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['SQLITE_BUSY', CatalogUnavailableReason.locked],
  ['SQLITE_LOCKED', CatalogUnavailableReason.locked],
  ['SQLITE_IOERR', CatalogUnavailableReason.ioError],
  ['SQLITE_CANTOPEN', CatalogUnavailableReason.cannotOpen],
  ['SQLITE_PERM', CatalogUnavailableReason.cannotOpen],
  ['SQLITE_FULL', CatalogUnavailableReason.diskFull],
  ['SQLITE_READONLY', CatalogUnavailableReason.readOnly],
  ['SQLITE_CORRUPT', CatalogUnavailableReason.corrupt],
  ['SQLITE_NOTADB', CatalogUnavailableReason.corrupt],
  ['SQLITE_PROTOCOL', CatalogUnavailableReason.locked],
];

/**
 * The {@link UnavailableError} for an SQLite error that means the database cannot serve now (busy beyond the
 * timeout, cannot be opened, I/O error, full disk, corrupt file); any other error is returned unchanged, so a
 * constraint violation or a bug is not reported as an outage.
 */
export function translateSqliteError(err: unknown): unknown {
  const code = sqliteCode(err);
  if (code === undefined) return err;
  const match = SQLITE_REASONS.find(([primary]) => code === primary || code.startsWith(`${primary}_`));
  return match ? new UnavailableError(Dependency.Catalog, match[1], { cause: err }) : err;
}

/**
 * The result code of an SQLite error. Recognised by shape, not `instanceof`: the native addon keeps the first
 * `SqliteError` class it was given, so a second copy of the module (another realm: jest's per-file contexts)
 * throws errors of another class, derived from another realm's `Error`.
 */
function sqliteCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { name, code } = err as { name?: unknown; code?: unknown };
  return name === Database.SqliteError.name && typeof code === 'string' && code.startsWith('SQLITE_')
    ? code
    : undefined;
}

/** Kinds of {@link CatalogWarning}. */
export const CatalogWarningCode = {
  /** A record of the old JSON catalog was invalid or a duplicate; it was not imported. */
  ImportSkippedRecord: 'import-skipped-record',
  /** A `catalog.json` lies beside a database that already exists; it is not imported. */
  ImportIgnoredFile: 'import-ignored-file',
  /** A stored runbook no longer parses; get and list treat it as absent. */
  CorruptRecord: 'corrupt-record',
  /** The database server closed an idle connection (restart, failover); the next call reconnects. */
  ConnectionLost: 'connection-lost',
} as const;
/** Kinds of {@link CatalogWarning}. */
export type CatalogWarningCode = (typeof CatalogWarningCode)[keyof typeof CatalogWarningCode];

/** Something the operator should know that did not stop the catalog. */
export interface CatalogWarning {
  readonly code: CatalogWarningCode;
  /** Exact, human-readable; names the record, never a path. */
  readonly message: string;
  /** Solution of the record concerned, when known. */
  readonly solution?: string;
  /** Uuid of the record concerned, when known. */
  readonly uuid?: string;
}

function describe(solution: string | undefined, uuid: string | undefined): string {
  const parts = [
    uuid === undefined ? undefined : `uuid ${uuid}`,
    solution === undefined ? undefined : `solution ${solution}`,
  ];
  const known = parts.filter((p): p is string => p !== undefined);
  return known.length > 0 ? ` (${known.join(', ')})` : '';
}

/** Exact warning messages. */
export const CatalogWarningMessages = {
  importSkipped: (
    file: string,
    importedName: string,
    index: number,
    ids: { solution?: string; uuid?: string },
    reason: string,
  ) =>
    `${file} runbooks[${index}]${describe(ids.solution, ids.uuid)} was not imported: ${reason}; it remains in ${importedName}`,
  importIgnored: (file: string) =>
    `${file} was not imported: the catalog database already exists (move the file away to silence this warning)`,
  corruptRecord: (solution: string, uuid: string, reason: string) =>
    `Runbook ${uuid} of solution ${solution} cannot be read from the catalog and is treated as absent: ${reason}`,
  connectionLost: (reason: string) =>
    `The database server closed an idle catalog connection (${reason}); the next call reconnects`,
} as const;
