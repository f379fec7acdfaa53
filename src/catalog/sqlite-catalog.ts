/**
 * The embedded catalog: an SQLite database, `<dataDir>/catalog.db`, shared safely by the worker, the HTTP API
 * and CLI processes at once.
 *
 * - WAL mode: readers never wait for a writer, and a writer killed mid-transaction leaves nothing behind (its
 *   uncommitted frames in the WAL are ignored; its lock dies with the process), so the next write proceeds at
 *   once.
 * - `synchronous=FULL`: the WAL is fsynced at every commit, so a write that was acknowledged survives a power
 *   loss (WAL's `NORMAL` would only guarantee consistency, not durability).
 * - Every write is one `BEGIN IMMEDIATE` transaction: it takes the write lock up front and waits for it up to
 *   the busy timeout, instead of failing when two processes upgrade a read to a write.
 * - The schema is versioned in the code (`migrations.ts`); the old `catalog.json` is imported once.
 *
 * better-sqlite3 is synchronous: an operation blocks the event loop while it runs (microseconds for these
 * records), and up to the busy timeout while another process holds the write lock.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Dependency, UnavailableError } from '../errors';
import type { RunbookCatalog } from './catalog';
import { CatalogUnavailableReason, translateSqliteError, type CatalogWarning } from './errors';
import { migrate, settleLegacyFile, type MigrationContext } from './migrations';
import { RunbookSchema, type Runbook } from './model';
import { emitProcessWarning, inCatalogOrder, RecordDecoder } from './records';

/** Base name of the catalog database in the data directory. */
export const CATALOG_DB_FILE = 'catalog.db';

/** How long an operation waits for another process's write transaction by default, in milliseconds. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** Options of {@link SqliteRunbookCatalog}. */
export interface SqliteCatalogOptions {
  /**
   * How long an operation waits for the write lock held by another process before it fails with
   * {@link UnavailableError}, in milliseconds.
   * @default {@link DEFAULT_BUSY_TIMEOUT_MS}
   */
  readonly busyTimeoutMs?: number;
  /**
   * Receives what the operator should know: records of the old `catalog.json` that were not imported, a
   * `catalog.json` left unimported beside an existing database, a stored record that no longer parses.
   * @default a Node process warning (`process.emitWarning`, type `RunbookCatalogWarning`), printed on stderr
   */
  readonly onWarning?: (warning: CatalogWarning) => void;
}

function translated<T>(operation: () => T): T {
  try {
    return operation();
  } catch (err) {
    throw translateSqliteError(err);
  }
}

/** How long {@link useWal} sleeps between tries while another process holds the lock it needs. */
const WAL_RETRY_MS = 20;

/**
 * Switches the database to WAL mode; the mode is persistent, so after the first open this is a no-op. SQLite
 * answers SQLITE_BUSY at once, without calling the busy handler, when another process opens the new file at the
 * same moment, so this tries again (sleeping the thread, as the busy handler itself would) until the busy
 * timeout has passed.
 */
function useWal(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.noWal);
      return;
    } catch (err) {
      const busy = (err as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw translateSqliteError(err);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_RETRY_MS);
    }
  }
}

/**
 * Opens `<dataDir>/catalog.db` as the catalog does: creates the directory, WAL mode, `synchronous=FULL`, the
 * busy timeout, migrations and the one-time import. For {@link SqliteRunbookCatalog}, and for tools and tests
 * that need a raw connection configured like the catalog's; the caller closes `db`.
 * @returns the connection and the warnings of the migrations, not yet reported.
 * @throws {@link UnavailableError} when the database cannot be opened or migrated now.
 * @throws {@link CatalogImportError} when an old `catalog.json` is not in the old format.
 */
export function openCatalogDatabase(
  dataDir: string,
  options: { busyTimeoutMs?: number } = {},
): { db: Database.Database; warnings: CatalogWarning[] } {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.dataDir, { cause: err });
  }
  const db = translated(() => new Database(path.join(dataDir, CATALOG_DB_FILE), { timeout: busyTimeoutMs }));
  try {
    useWal(db, busyTimeoutMs);
    translated(() => db.pragma('synchronous = FULL'));
    const context: MigrationContext = { dataDir, warnings: [] };
    translated(() => migrate(db, context));
    translated(() => settleLegacyFile(db, context));
    return { db, warnings: context.warnings };
  } catch (err) {
    db.close();
    throw err;
  }
}

interface Connection {
  readonly db: Database.Database;
  readonly get: Database.Statement<[string, string], { runbook: string }>;
  readonly list: Database.Statement<[string], { uuid: string; runbook: string }>;
  readonly upsert: Database.Transaction<(runbook: Runbook) => string | undefined>;
  readonly remove: Database.Transaction<(solution: string, uuid: string) => boolean>;
}

/**
 * A {@link RunbookCatalog} in `<dataDir>/catalog.db`. Constructing it does no I/O: the database is created,
 * migrated and (once) filled from an old `catalog.json` on the first call, and a failed open is retried on the
 * next call.
 *
 * Every method rejects with {@link UnavailableError} (`Catalog is unavailable: <reason>`, reasons in
 * {@link CatalogUnavailableReason}) when the database cannot serve: locked by another process beyond the busy
 * timeout, cannot be opened, disk I/O error, full disk, corrupt file, or the catalog was closed. The first call
 * may also reject with {@link CatalogImportError} when the old `catalog.json` is not in the old format.
 *
 * A stored record that no longer parses as a {@link Runbook} does not fail the call: `get` answers undefined
 * and `list` leaves it out, each reported once through `onWarning`. The row is kept for inspection; `put`
 * replaces it and `remove` deletes it.
 */
export class SqliteRunbookCatalog implements RunbookCatalog {
  private readonly dataDir: string;
  private readonly busyTimeoutMs: number;
  private readonly onWarning: (warning: CatalogWarning) => void;
  private connection: Connection | undefined;
  private closed = false;
  private readonly records: RecordDecoder;

  /** @param dataDir directory of the database, created when missing. */
  constructor(dataDir: string, options: SqliteCatalogOptions = {}) {
    this.dataDir = dataDir;
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.onWarning = options.onWarning ?? emitProcessWarning;
    this.records = new RecordDecoder(this.onWarning);
  }

  /** Path of the database file. */
  get location(): string {
    return path.join(this.dataDir, CATALOG_DB_FILE);
  }

  get(solution: string, uuid: string): Promise<Runbook | undefined> {
    return this.execute((connection) => {
      const row = connection.get.get(solution, uuid);
      return row ? this.records.decode(solution, uuid, row.runbook) : undefined;
    });
  }

  list(solution: string): Promise<Runbook[]> {
    return this.execute((connection) => {
      const runbooks = connection.list
        .all(solution)
        .map((row) => this.records.decode(solution, row.uuid, row.runbook))
        .filter((r): r is Runbook => r !== undefined);
      // The order of the JSON catalog (localeCompare); SQLite's binary order would put "Zeta" before "alpha".
      return inCatalogOrder(runbooks);
    });
  }

  /** @throws {@link ZodError} when the runbook is invalid, before anything is written. */
  put(runbook: Runbook): Promise<Runbook | undefined> {
    return this.execute((connection) => {
      const parsed = RunbookSchema.parse(runbook);
      const replaced = connection.upsert.immediate(parsed);
      return replaced === undefined ? undefined : this.records.decode(parsed.solution, parsed.uuid, replaced);
    });
  }

  remove(solution: string, uuid: string): Promise<boolean> {
    return this.execute((connection) => connection.remove.immediate(solution, uuid));
  }

  /** Closes the database; later calls reject with {@link UnavailableError} (`the catalog is closed`). */
  close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    return new Promise((resolve) =>
      resolve(
        translated(() => {
          connection?.db.close();
        }),
      ),
    );
  }

  /**
   * Runs one operation on the connection (opened on first use). better-sqlite3 is synchronous; the promise
   * executor turns anything it throws into a rejection, SQLite's outages translated.
   */
  private execute<T>(operation: (connection: Connection) => T): Promise<T> {
    return new Promise((resolve) => resolve(translated(() => operation(this.connect()))));
  }

  private connect(): Connection {
    if (this.closed) throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.closed);
    if (!this.connection) {
      const { db, warnings } = openCatalogDatabase(this.dataDir, { busyTimeoutMs: this.busyTimeoutMs });
      try {
        this.connection = this.prepare(db);
      } catch (err) {
        db.close();
        throw err;
      }
      warnings.forEach((warning) => this.onWarning(warning));
    }
    return this.connection;
  }

  private prepare(db: Database.Database): Connection {
    const upsert = db.prepare<[string, string, string, string]>(
      `INSERT INTO runbooks (solution, uuid, name, runbook) VALUES (?, ?, ?, ?)
       ON CONFLICT (solution, uuid) DO UPDATE SET name = excluded.name, runbook = excluded.runbook`,
    );
    const remove = db.prepare<[string, string]>('DELETE FROM runbooks WHERE solution = ? AND uuid = ?');
    const selectOne = db.prepare<[string, string], { runbook: string }>(
      'SELECT runbook FROM runbooks WHERE solution = ? AND uuid = ?',
    );
    return {
      db,
      get: selectOne,
      list: db.prepare<[string], { uuid: string; runbook: string }>(
        'SELECT uuid, runbook FROM runbooks WHERE solution = ? ORDER BY name, uuid',
      ),
      // Read and write in one IMMEDIATE transaction: no other writer can come between them.
      upsert: db.transaction((runbook: Runbook) => {
        const replaced = selectOne.get(runbook.solution, runbook.uuid)?.runbook;
        upsert.run(runbook.solution, runbook.uuid, runbook.name, JSON.stringify(runbook));
        return replaced;
      }),
      remove: db.transaction((solution: string, uuid: string) => remove.run(solution, uuid).changes > 0),
    };
  }
}
