/**
 * The catalog for more than one machine: a PostgreSQL database, shared by every worker, HTTP API and CLI
 * process of a deployment (`RUNBOOK_SCHEDULER_DATABASE_URL`).
 *
 * - Every write is one transaction that first takes a transaction-scoped advisory lock on its key (solution,
 *   uuid): a put reads what it replaces and writes under that lock, so of two concurrent puts of one runbook
 *   (from any two processes) the second returns the first, even when the row did not exist yet (a row lock
 *   could not serialise two inserts). A remove takes the same lock. A process killed inside its transaction
 *   loses its connection; the server rolls the transaction back and releases the lock.
 * - The schema is versioned in the code (`postgres-migrations.ts`), applied once under an advisory lock.
 * - Waits are bounded: connecting, waiting for another process's lock and each query fail after the timeout
 *   with {@link UnavailableError}, as the SQLite store's busy timeout does.
 * - Errors never carry the database URL: the reasons of `postgres-errors.ts` name neither address nor password.
 */
import { Pool, type PoolClient } from 'pg';
import { Dependency, UnavailableError } from '../errors';
import type { RunbookCatalog } from './catalog';
import {
  CatalogUnavailableReason,
  CatalogWarningCode,
  CatalogWarningMessages,
  type CatalogWarning,
} from './errors';
import { RunbookSchema, type Runbook } from './model';
import { PostgresUnavailableReason, translatePostgresError } from './postgres-errors';
import { migratePostgres, RUNBOOKS_TABLE } from './postgres-migrations';
import { emitProcessWarning, inCatalogOrder, RecordDecoder } from './records';

/** How long connecting, waiting for a lock or a query may take by default, in milliseconds. */
export const DEFAULT_POSTGRES_TIMEOUT_MS = 5_000;
/** Connections one process keeps to the database at most, by default. */
export const DEFAULT_POSTGRES_POOL_SIZE = 10;

/** Options of {@link PostgresRunbookCatalog}. */
export interface PostgresCatalogOptions {
  /**
   * How long connecting, waiting for a lock held by another process, and a query may each take before the call
   * fails with {@link UnavailableError}, in milliseconds.
   * @default {@link DEFAULT_POSTGRES_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /** Connections kept open at most. @default {@link DEFAULT_POSTGRES_POOL_SIZE} */
  readonly poolSize?: number;
  /**
   * Receives what the operator should know: a stored record that no longer parses, an idle connection the
   * server closed.
   * @default a Node process warning (`process.emitWarning`, type `RunbookCatalogWarning`), printed on stderr
   */
  readonly onWarning?: (warning: CatalogWarning) => void;
}

/**
 * The per-key lock a put or remove takes first: a bigint hash of {@link runbookLockKey}, in the single-bigint
 * advisory key space, held until its transaction ends.
 */
export const RUNBOOK_LOCK_SQL = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/** The text whose hash is the advisory lock of one runbook's writes. */
export function runbookLockKey(solution: string, uuid: string): string {
  return JSON.stringify([solution, uuid]);
}

/**
 * PostgreSQL refuses U+0000 in text: no runbook can be stored under such a key, so a read of one finds nothing
 * (instead of failing the call).
 */
function storable(...keys: string[]): boolean {
  return keys.every((key) => !key.includes('\u0000'));
}

/**
 * A {@link RunbookCatalog} in a PostgreSQL database. Constructing it does no I/O: the pool connects and the
 * schema is migrated on the first call, and a failed open is retried on the next call.
 *
 * Every method rejects with {@link UnavailableError} (`Catalog is unavailable: <reason>`, reasons in
 * {@link PostgresUnavailableReason}) when the database cannot serve: unreachable, timed out, credentials
 * refused, no such database, connection lost, a lock held beyond the timeout, or the catalog was closed
 * (`the catalog is closed`). A stored record that no longer parses reads as absent, reported once through
 * `onWarning`, as in the SQLite store.
 */
export class PostgresRunbookCatalog implements RunbookCatalog {
  private readonly pool: Pool;
  private readonly records: RecordDecoder;
  private migrated: Promise<void> | undefined;
  private closed = false;

  /**
   * @param url `postgres://user:password@host:port/database` with the driver's query parameters (`sslmode`,
   *   `sslrootcert`, ...). Kept inside the pool; never part of an error or a warning.
   */
  constructor(url: string, options: PostgresCatalogOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_POSTGRES_TIMEOUT_MS;
    const onWarning = options.onWarning ?? emitProcessWarning;
    this.records = new RecordDecoder(onWarning);
    this.pool = new Pool({
      connectionString: url,
      max: options.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE,
      connectionTimeoutMillis: timeoutMs,
      lock_timeout: timeoutMs,
      query_timeout: timeoutMs * 2,
      keepAlive: true,
      application_name: 'runbook-scheduler',
    });
    // An idle connection the server closed (restart, failover): the pool drops it and the next call reconnects.
    // Without a listener the error would end the process.
    this.pool.on('error', (err) => {
      const translated = translatePostgresError(err);
      const reason =
        translated instanceof UnavailableError ? translated.reason : PostgresUnavailableReason.connectionLost;
      onWarning({
        code: CatalogWarningCode.ConnectionLost,
        message: CatalogWarningMessages.connectionLost(reason),
      });
    });
  }

  async get(solution: string, uuid: string): Promise<Runbook | undefined> {
    if (!storable(solution, uuid)) return this.execute(() => Promise.resolve(undefined));
    return this.execute(async (client) => {
      const { rows } = await client.query<{ runbook: unknown }>(
        `SELECT runbook FROM ${RUNBOOKS_TABLE} WHERE solution = $1 AND uuid = $2`,
        [solution, uuid],
      );
      return rows[0] ? this.records.decode(solution, uuid, rows[0].runbook) : undefined;
    });
  }

  async list(solution: string): Promise<Runbook[]> {
    if (!storable(solution)) return this.execute(() => Promise.resolve([]));
    return this.execute(async (client) => {
      const { rows } = await client.query<{ uuid: string; runbook: unknown }>(
        `SELECT uuid, runbook FROM ${RUNBOOKS_TABLE} WHERE solution = $1`,
        [solution],
      );
      return inCatalogOrder(
        rows
          .map((row) => this.records.decode(solution, row.uuid, row.runbook))
          .filter((r): r is Runbook => r !== undefined),
      );
    });
  }

  /** @throws {@link ZodError} when the runbook is invalid, before anything is written. */
  async put(runbook: Runbook): Promise<Runbook | undefined> {
    const parsed = RunbookSchema.parse(runbook);
    return this.execute((client) =>
      this.transaction(client, async () => {
        await client.query(RUNBOOK_LOCK_SQL, [runbookLockKey(parsed.solution, parsed.uuid)]);
        // Under the key's lock, and in a statement of its own (READ COMMITTED takes a new snapshot per
        // statement): this sees the commit of a put that held the lock before.
        const { rows } = await client.query<{ runbook: unknown }>(
          `SELECT runbook FROM ${RUNBOOKS_TABLE} WHERE solution = $1 AND uuid = $2`,
          [parsed.solution, parsed.uuid],
        );
        await client.query(
          `INSERT INTO ${RUNBOOKS_TABLE} (solution, uuid, runbook) VALUES ($1, $2, $3)
           ON CONFLICT (solution, uuid) DO UPDATE SET runbook = excluded.runbook`,
          [parsed.solution, parsed.uuid, JSON.stringify(parsed)],
        );
        return rows[0] ? this.records.decode(parsed.solution, parsed.uuid, rows[0].runbook) : undefined;
      }),
    );
  }

  async remove(solution: string, uuid: string): Promise<boolean> {
    if (!storable(solution, uuid)) return this.execute(() => Promise.resolve(false));
    return this.execute((client) =>
      this.transaction(client, async () => {
        await client.query(RUNBOOK_LOCK_SQL, [runbookLockKey(solution, uuid)]);
        const result = await client.query(`DELETE FROM ${RUNBOOKS_TABLE} WHERE solution = $1 AND uuid = $2`, [
          solution,
          uuid,
        ]);
        return (result.rowCount ?? 0) > 0;
      }),
    );
  }

  /** Closes the pool's connections; later calls reject with {@link UnavailableError} (`the catalog is closed`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /**
   * Runs one operation on a pooled connection, the schema migrated first (once per catalog; retried after a
   * failure). A connection on which an operation failed is discarded, not returned to the pool.
   */
  private async execute<T>(operation: (client: PoolClient) => Promise<T>): Promise<T> {
    try {
      if (this.closed) throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.closed);
      const client = await this.pool.connect();
      try {
        this.migrated ??= migratePostgres(client).then(
          () => undefined,
          (err: unknown) => {
            this.migrated = undefined;
            throw err;
          },
        );
        await this.migrated;
        const result = await operation(client);
        client.release();
        return result;
      } catch (err) {
        client.release(true);
        throw err;
      }
    } catch (err) {
      throw translatePostgresError(err);
    }
  }

  private async transaction<T>(client: PoolClient, body: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    const result = await body();
    await client.query('COMMIT');
    return result;
  }
}
