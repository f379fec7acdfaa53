/**
 * The one place that chooses the catalog's store, so the entry points (`createApp`, the CLI) do not: PostgreSQL
 * when a database URL is set (`RUNBOOK_SCHEDULER_DATABASE_URL`, for more than one machine), else the embedded
 * SQLite database of the data directory.
 */
import type { RunbookCatalog } from './catalog';
import type { CatalogWarning } from './errors';
import { PostgresRunbookCatalog } from './postgres-catalog';
import { SqliteRunbookCatalog } from './sqlite-catalog';

/** Where the catalog lives: the settings' `dataDir` and `databaseUrl` (the product's settings have both). */
export interface CatalogLocation {
  /** Directory of the embedded SQLite catalog, used when no database URL is set. */
  readonly dataDir: string;
  /** A PostgreSQL URL; when set, the catalog is that database and `dataDir` is not used by it. */
  readonly databaseUrl?: string;
}

/** Options common to both stores. */
export interface OpenCatalogOptions {
  /**
   * How long a call may wait for another process (SQLite's busy timeout; PostgreSQL's connect, lock and query
   * timeouts), in milliseconds. @default 5000
   */
  readonly timeoutMs?: number;
  /** Receives what the operator should know. @default a Node process warning */
  readonly onWarning?: (warning: CatalogWarning) => void;
}

/**
 * The catalog of the settings: {@link PostgresRunbookCatalog} when `databaseUrl` is set, else
 * {@link SqliteRunbookCatalog} in `<dataDir>/catalog.db` (a bare string is a data directory). Does no I/O
 * itself; call `close()` when done.
 */
export function openRunbookCatalog(
  location: string | CatalogLocation,
  options: OpenCatalogOptions = {},
): RunbookCatalog {
  const { dataDir, databaseUrl } = typeof location === 'string' ? { dataDir: location } : location;
  const onWarning = options.onWarning ? { onWarning: options.onWarning } : {};
  if (databaseUrl !== undefined) {
    return new PostgresRunbookCatalog(databaseUrl, {
      ...onWarning,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }
  return new SqliteRunbookCatalog(dataDir, {
    ...onWarning,
    ...(options.timeoutMs === undefined ? {} : { busyTimeoutMs: options.timeoutMs }),
  });
}
