/**
 * The PostgreSQL catalog's schema, versioned in the code like the SQLite one (`migrations.ts`): an ordered list
 * of migrations, the version recorded in `runbook_catalog_schema`, applied in one transaction under an advisory
 * lock (the caller discards the connection when this fails). The version is read again once the lock is held, so when several processes (on several machines) open a
 * new database at once, one applies the migrations and the others find them applied; a migration that fails
 * leaves the database as it was (PostgreSQL's DDL is transactional).
 */
import type { PoolClient } from 'pg';
import { Dependency, UnavailableError } from '../errors';
import { CatalogUnavailableReason } from './errors';

/** One step of the schema. `up` runs inside the migration transaction and must not commit. */
export interface PostgresMigration {
  /** The version the database has once this migration is applied: 1, 2, 3, ... in list order. */
  readonly version: number;
  readonly description: string;
  up(client: PoolClient): Promise<void>;
}

/** Table of the runbooks. */
export const RUNBOOKS_TABLE = 'runbook_catalog';
/** Table of the schema version: one row. */
export const SCHEMA_TABLE = 'runbook_catalog_schema';

/**
 * Key of the migrations' advisory lock, in the two-integer key space (the runbooks' per-key locks use the
 * single-bigint space, which never overlaps it).
 */
export const MIGRATION_LOCK: readonly [number, number] = [0x52425343, 1]; // 'RBSC'

/** The schema, oldest first. Append only: a released migration is never edited. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'runbooks keyed by (solution, uuid) as validated JSON',
    async up(client) {
      // json, not jsonb: the text is kept as written (jsonb would refuse a \u0000 escape a name may hold).
      await client.query(`
        CREATE TABLE ${RUNBOOKS_TABLE} (
          solution text NOT NULL,
          uuid text NOT NULL,
          runbook json NOT NULL,
          PRIMARY KEY (solution, uuid)
        )`);
    },
  },
];

/** The schema version this program writes. */
export const LATEST_POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** What {@link migratePostgres} found and did. */
export interface PostgresMigrationOutcome {
  readonly from: number;
  readonly to: number;
}

async function schemaVersion(client: PoolClient): Promise<number> {
  const exists = await client.query<{ table: string | null }>('SELECT to_regclass($1)::text AS table', [
    SCHEMA_TABLE,
  ]);
  if (exists.rows[0]?.table == null) return 0;
  const row = await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA_TABLE}`);
  return row.rows[0]?.version ?? 0;
}

function refuseNewer(version: number, latest: number): void {
  if (version > latest) {
    throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.newerSchema(version, latest));
  }
}

/**
 * Brings the database to the latest version of `migrations`. `from` is the version found under the lock, so
 * `from === to` means another process (or an earlier start) had applied everything. Reads only, and takes no
 * lock, when the schema is current.
 * @throws {@link UnavailableError} when the database was written by a newer program (a higher version).
 */
export async function migratePostgres(
  client: PoolClient,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<PostgresMigrationOutcome> {
  const latest = migrations.length;
  const seen = await schemaVersion(client);
  refuseNewer(seen, latest);
  if (seen === latest) return { from: seen, to: seen };
  // A session lock taken before the transaction begins: the transaction's start then reads the catalog as the
  // previous holder committed it (taken inside, the lock would not refresh the server's cached view of which
  // tables exist, and a second process would miss the first one's tables). It dies with the connection.
  await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
  try {
    await client.query('BEGIN');
    // Read again under the lock: another process may have migrated since the first read.
    const from = await schemaVersion(client);
    refuseNewer(from, latest);
    if (from === 0) {
      await client.query(
        `CREATE TABLE ${SCHEMA_TABLE} (one boolean PRIMARY KEY DEFAULT true CHECK (one), version integer NOT NULL)`,
      );
    }
    for (const migration of migrations.slice(from)) await migration.up(client);
    await client.query(
      `INSERT INTO ${SCHEMA_TABLE} (version) VALUES ($1) ON CONFLICT (one) DO UPDATE SET version = excluded.version`,
      [latest],
    );
    await client.query('COMMIT');
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
    return { from, to: latest };
  } catch (err) {
    // The caller discards this connection (the server then rolls back and releases the lock), so a failed
    // ROLLBACK here (the connection died) leaves nothing behind either.
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
