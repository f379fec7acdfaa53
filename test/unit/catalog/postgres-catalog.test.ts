/**
 * What only the PostgreSQL store does, against a real server started for this file: chosen by open.ts when a
 * database URL is set; its schema versioned like the SQLite one; outages reported as UnavailableError with
 * reasons that never carry the URL or its password; a lock held beyond the timeout; an idle connection the
 * server closed; the pool closed by close().
 */
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { Pool } from 'pg';
import { CatalogWarningCode, type CatalogWarning } from '../../../src/catalog/errors';
import { openRunbookCatalog } from '../../../src/catalog/open';
import {
  DEFAULT_POSTGRES_TIMEOUT_MS,
  PostgresRunbookCatalog,
  RUNBOOK_LOCK_SQL,
  runbookLockKey,
} from '../../../src/catalog/postgres-catalog';
import { PostgresUnavailableReason } from '../../../src/catalog/postgres-errors';
import {
  LATEST_POSTGRES_SCHEMA_VERSION,
  migratePostgres,
  POSTGRES_MIGRATIONS,
  RUNBOOKS_TABLE,
  SCHEMA_TABLE,
  type PostgresMigration,
} from '../../../src/catalog/postgres-migrations';
import { Dependency, UnavailableError } from '../../../src/errors';
import { aRunbook } from '../../fixtures/catalog-runbooks';
import { startPostgres, type PostgresServer } from '../../fixtures/postgres-server';
import { killHard, startFixture } from './children';

jest.setTimeout(60_000);

let server: PostgresServer;
let url: string;
let database: string;
const open: PostgresRunbookCatalog[] = [];

function catalog(options: { timeoutMs?: number; warnings?: CatalogWarning[]; at?: string } = {}) {
  const { warnings = [], at = url, timeoutMs } = options;
  const c = new PostgresRunbookCatalog(at, {
    onWarning: (w) => warnings.push(w),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  open.push(c);
  return c;
}

async function rejection(run: () => Promise<unknown>): Promise<UnavailableError> {
  const err: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnavailableError);
  return err as UnavailableError;
}

/** Neither the message nor anything printed of the error (its cause included) holds the secret. */
function expectNoSecret(err: Error, secret: string): void {
  expect(err.message).not.toContain(secret);
  expect(inspect(err, { depth: 10 })).not.toContain(secret);
}

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());
beforeEach(async () => {
  url = await server.createDatabase('pgcatalog');
  database = new URL(url).pathname.slice(1);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe('chosen by openRunbookCatalog', () => {
  test('a database URL gives the PostgreSQL catalog; the data directory is not touched', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'rbs-pg-open-'));
    const dataDir = path.join(root, 'data');
    try {
      const chosen = openRunbookCatalog({ dataDir, databaseUrl: url }, { onWarning: () => undefined });
      const runbook = aRunbook('acme', 'restart web');
      try {
        expect(chosen).toBeInstanceOf(PostgresRunbookCatalog);
        await chosen.put(runbook);
      } finally {
        await chosen.close?.();
      }
      expect(await catalog().get('acme', runbook.uuid)).toEqual(runbook);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the schema', () => {
  test('the migrations are numbered 1, 2, 3, ... in list order', () => {
    expect(POSTGRES_MIGRATIONS.map((m) => m.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_POSTGRES_SCHEMA_VERSION).toBe(POSTGRES_MIGRATIONS.length);
  });

  test('a new database is brought to the latest version on the first call, and again changes nothing', async () => {
    const runbook = aRunbook('acme', 'restart web');
    await catalog().put(runbook);
    expect(await server.sql(database, `SELECT version FROM ${SCHEMA_TABLE}`)).toEqual([
      { version: LATEST_POSTGRES_SCHEMA_VERSION },
    ]);
    const pool = new Pool({ connectionString: url });
    const client = await pool.connect();
    try {
      expect(await migratePostgres(client)).toEqual({
        from: LATEST_POSTGRES_SCHEMA_VERSION,
        to: LATEST_POSTGRES_SCHEMA_VERSION,
      });
    } finally {
      client.release();
      await pool.end();
    }
    expect(await catalog().list('acme')).toEqual([runbook]);
  });

  test('the runner applies only the migrations above the version; a failing one leaves everything as it was', async () => {
    const addNotes: PostgresMigration = {
      version: 2,
      description: 'notes',
      up: async (c) => {
        await c.query('CREATE TABLE notes (id integer PRIMARY KEY)');
      },
    };
    const broken: PostgresMigration = {
      version: 3,
      description: 'fails halfway',
      up: async (c) => {
        await c.query('CREATE TABLE half (id integer PRIMARY KEY)');
        throw new Error('disk gremlin');
      },
    };
    const pool = new Pool({ connectionString: url });
    const client = await pool.connect();
    const tables = async () =>
      (
        await server.sql<{ name: string }>(
          database,
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        )
      ).map((t) => t.name);
    try {
      const first = POSTGRES_MIGRATIONS[0] as PostgresMigration;
      expect(await migratePostgres(client, [first])).toEqual({ from: 0, to: 1 });
      expect(await migratePostgres(client, [first, addNotes])).toEqual({ from: 1, to: 2 });
      await expect(migratePostgres(client, [first, addNotes, broken])).rejects.toThrow('disk gremlin');
      expect(await tables()).toEqual(['notes', RUNBOOKS_TABLE, SCHEMA_TABLE].sort());
      expect(await server.sql(database, `SELECT version FROM ${SCHEMA_TABLE}`)).toEqual([{ version: 2 }]);
    } finally {
      client.release(true);
      await pool.end();
    }
  });

  test('a database of a newer schema version is refused: UnavailableError, nothing changed', async () => {
    await catalog().list('acme');
    await server.sql(database, `UPDATE ${SCHEMA_TABLE} SET version = $1`, [
      LATEST_POSTGRES_SCHEMA_VERSION + 1,
    ]);
    const err = await rejection(() => catalog().list('acme'));
    expect(err.message).toBe(
      `Catalog is unavailable: the database has schema version ${LATEST_POSTGRES_SCHEMA_VERSION + 1}, this program knows up to ${LATEST_POSTGRES_SCHEMA_VERSION}`,
    );
  });
});

describe('when the database cannot serve', () => {
  test('nothing listens at the address: unreachable, without the address or the password', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const at = `postgresql://rbs_test:${server.password}@127.0.0.1:${closed}/${database}`;
    const err = await rejection(() => catalog({ at }).get('acme', aRunbook('acme', 'x').uuid));
    expect(err).toMatchObject({
      dependency: Dependency.Catalog,
      reason: PostgresUnavailableReason.unreachable,
    });
    expect(err.message).toBe('Catalog is unavailable: the database server cannot be reached');
    expectNoSecret(err, server.password);
  });

  test('a wrong password: credentials refused, the password in no message', async () => {
    const wrong = 'not-the-password-4f1c';
    const at = `postgresql://rbs_test:${wrong}@127.0.0.1:${server.port}/${database}`;
    const err = await rejection(() => catalog({ at }).put(aRunbook('acme', 'x')));
    expect(err.message).toBe('Catalog is unavailable: the database server refused the credentials');
    expectNoSecret(err, wrong);
  });

  test('a database that does not exist', async () => {
    const err = await rejection(() => catalog({ at: server.url('no_such_database') }).list('acme'));
    expect(err.message).toBe('Catalog is unavailable: the database does not exist');
    expectNoSecret(err, server.password);
  });

  test('a server that accepts the connection and never answers: fails after the timeout', async () => {
    const silent = net.createServer(() => undefined);
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const startedAt = Date.now();
      const err = await rejection(() =>
        catalog({ at: `postgresql://u:secret-pw@127.0.0.1:${port}/db`, timeoutMs: 300 }).list('acme'),
      );
      expect(err.message).toBe('Catalog is unavailable: the database server did not answer in time');
      expect(Date.now() - startedAt).toBeLessThan(5_000);
      expectNoSecret(err, 'secret-pw');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('a runbook locked by another session beyond the timeout: the put fails, reads go on, then it writes', async () => {
    const existing = aRunbook('acme', 'restart web');
    const c = catalog({ timeoutMs: 300 });
    await c.put(existing);
    // Another process in the middle of a put of this runbook: it holds the key's lock.
    const holder = new Pool({ connectionString: url, max: 1 });
    const held = await holder.connect();
    try {
      await held.query('BEGIN');
      await held.query(RUNBOOK_LOCK_SQL, [runbookLockKey('acme', existing.uuid)]);
      expect(await c.get('acme', existing.uuid)).toEqual(existing);
      const err = await rejection(() => c.put({ ...existing, name: 'blocked' }));
      expect(err.message).toBe('Catalog is unavailable: the database is locked by another process');
      await expect(c.remove('acme', existing.uuid)).rejects.toThrow(UnavailableError);
      // Another runbook is not held up.
      expect(await c.put(aRunbook('acme', 'other'))).toBeUndefined();
    } finally {
      held.release(true);
      await holder.end();
    }
    expect(await c.put({ ...existing, name: 'unblocked' })).toEqual(existing);
  });

  test('a writer killed inside its transaction: its write is rolled back and a waiting put proceeds at once', async () => {
    const c = catalog();
    await c.list('acme'); // the schema, before the holder writes past the catalog
    const uuid = aRunbook('acme', 'x').uuid;
    const holder = startFixture('catalog-postgres-holder.ts', [url, 'acme', uuid, 'killed']);
    try {
      await holder.nextLine((line) => line === 'holding');
      const waiting = c.put(aRunbook('acme', 'after the kill', uuid));
      // The put waits for the holder's lock (not for the timeout): see it waiting before the kill.
      for (let i = 0; i < 200; i++) {
        const waits = await server.sql<{ n: string }>(
          database,
          "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        );
        if (waits[0]?.n !== '0') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const killedAt = Date.now();
      await killHard(holder);
      // The holder's uncommitted row is gone: the put replaced nothing.
      expect(await waiting).toBeUndefined();
      const afterKillMs = Date.now() - killedAt;
      console.log(`put after SIGKILL of the lock holder: ${afterKillMs} ms`);
      expect(afterKillMs).toBeLessThan(DEFAULT_POSTGRES_TIMEOUT_MS / 2);
      expect((await c.get('acme', uuid))?.name).toBe('after the kill');
    } finally {
      await killHard(holder);
    }
  });

  test('idle connections the server closed are reported, and the next call reconnects', async () => {
    const warnings: CatalogWarning[] = [];
    const c = catalog({ warnings });
    const runbook = aRunbook('acme', 'restart web');
    await c.put(runbook);
    await server.sql(
      'postgres',
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    // The pool learns of it when the server's notice arrives: poll, do not sleep a fixed time.
    for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(warnings).toEqual([
      {
        code: CatalogWarningCode.ConnectionLost,
        message:
          'The database server closed an idle catalog connection (the database server is starting up or shutting down); the next call reconnects',
      },
    ]);
    expect(await c.get('acme', runbook.uuid)).toEqual(runbook);
  });

  test('close() ends the pool: the server sees no connection of the catalog any more', async () => {
    const c = catalog();
    await Promise.all(Array.from({ length: 5 }, (_, i) => c.put(aRunbook('acme', `r${i}`))));
    const connections = () =>
      server.sql<{ n: string }>(
        'postgres',
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'runbook-scheduler'",
        [database],
      );
    expect(Number((await connections())[0]?.n)).toBeGreaterThan(0);
    await c.close();
    for (let i = 0; i < 100 && Number((await connections())[0]?.n) > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await connections()).toEqual([{ n: '0' }]);
  });
});
