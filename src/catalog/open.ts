/**
 * The one place that chooses the catalog's store, so the entry points (`createApp`, the CLI) do not. Today the
 * embedded SQLite database; a PostgreSQL store will be chosen here from settings.
 */
import type { RunbookCatalog } from './catalog';
import { SqliteRunbookCatalog, type SqliteCatalogOptions } from './sqlite-catalog';

/**
 * The catalog of a data directory: `<dataDir>/catalog.db`, created (and filled once from an old
 * `<dataDir>/catalog.json`) on first use. Does no I/O itself; call `close()` when done.
 * @param options busy timeout and where warnings go; see {@link SqliteCatalogOptions}.
 */
export function openRunbookCatalog(dataDir: string, options: SqliteCatalogOptions = {}): RunbookCatalog {
  return new SqliteRunbookCatalog(dataDir, options);
}
