/**
 * The catalog's stores under test, each behind one shape, so that the contract suite (and the concurrency
 * tests) run the same cases against the embedded SQLite store and a real PostgreSQL server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunbookCatalog } from '../../../src/catalog/catalog';
import type { CatalogWarning } from '../../../src/catalog/errors';
import { PostgresRunbookCatalog } from '../../../src/catalog/postgres-catalog';
import { RUNBOOKS_TABLE } from '../../../src/catalog/postgres-migrations';
import { openCatalogDatabase, SqliteRunbookCatalog } from '../../../src/catalog/sqlite-catalog';
import { startPostgres, type PostgresServer } from '../../fixtures/postgres-server';

/** One empty store location: a data directory, or a database of the test server. */
export interface StoreUnderTest {
  /** What a child process is given to open the same store (`catalog-writer.ts`): a directory or a URL. */
  readonly location: string;
  /** A new catalog on this store, as another process would open it; closed by {@link dispose}. */
  open(options?: { warnings?: CatalogWarning[]; timeoutMs?: number }): RunbookCatalog;
  /** Writes a record as it is, past the catalog's validation (a record an older program or a person wrote). */
  storeRaw(solution: string, uuid: string, name: string, json: string): Promise<void>;
  /** Closes the catalogs opened here and removes the location. */
  dispose(): Promise<void>;
}

/** A kind of store: started once per test file, a fresh location per test. */
export interface StoreKind {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  fresh(): Promise<StoreUnderTest>;
}

function tracked(): { add(c: RunbookCatalog): RunbookCatalog; closeAll(): Promise<void> } {
  const open: RunbookCatalog[] = [];
  return {
    add: (c) => {
      open.push(c);
      return c;
    },
    closeAll: async () => {
      await Promise.all(open.splice(0).map((c) => c.close?.() ?? Promise.resolve()));
    },
  };
}

/** The embedded store: a new data directory per test. */
export const sqliteStore: StoreKind = {
  name: 'SQLite',
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  fresh: () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-catalog-contract-'));
    const catalogs = tracked();
    return Promise.resolve({
      location: dataDir,
      open: ({ warnings = [], timeoutMs } = {}) =>
        catalogs.add(
          new SqliteRunbookCatalog(dataDir, {
            onWarning: (w) => warnings.push(w),
            ...(timeoutMs === undefined ? {} : { busyTimeoutMs: timeoutMs }),
          }),
        ),
      storeRaw: (solution, uuid, name, json) =>
        new Promise<void>((resolve) => {
          const { db } = openCatalogDatabase(dataDir);
          try {
            db.prepare('INSERT INTO runbooks (solution, uuid, name, runbook) VALUES (?, ?, ?, ?)').run(
              solution,
              uuid,
              name,
              json,
            );
          } finally {
            db.close();
          }
          resolve();
        }),
      dispose: async () => {
        await catalogs.closeAll();
        rmSync(dataDir, { recursive: true, force: true });
      },
    });
  },
};

/** A PostgreSQL store on one server per test file, a new database per test. */
export function postgresStore(): StoreKind & { readonly server: () => PostgresServer } {
  let server: PostgresServer | undefined;
  const running = (): PostgresServer => {
    if (!server) throw new Error('the PostgreSQL test server is not started');
    return server;
  };
  return {
    name: 'PostgreSQL',
    server: running,
    start: async () => {
      server = await startPostgres();
    },
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    fresh: async () => {
      const url = await running().createDatabase();
      const database = new URL(url).pathname.slice(1);
      const catalogs = tracked();
      return {
        location: url,
        open: ({ warnings = [], timeoutMs } = {}) =>
          catalogs.add(
            new PostgresRunbookCatalog(url, {
              onWarning: (w) => warnings.push(w),
              ...(timeoutMs === undefined ? {} : { timeoutMs }),
            }),
          ),
        storeRaw: async (solution, uuid, _name, json) => {
          // Through a catalog first, so that the schema exists.
          const catalog = catalogs.add(new PostgresRunbookCatalog(url, { onWarning: () => undefined }));
          await catalog.list(solution);
          await running().sql(
            database,
            `INSERT INTO ${RUNBOOKS_TABLE} (solution, uuid, runbook) VALUES ($1, $2, $3)`,
            [solution, uuid, json],
          );
        },
        dispose: async () => {
          await catalogs.closeAll();
          await running().sql('postgres', `DROP DATABASE ${database} WITH (FORCE)`);
        },
      };
    },
  };
}
