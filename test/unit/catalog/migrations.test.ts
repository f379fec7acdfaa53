/**
 * The catalog schema's migrations: applied once under PRAGMA user_version, in one transaction, idempotent; a
 * database written by a newer program is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  migrate,
  type Migration,
  type MigrationContext,
} from '../../../src/catalog/migrations';
import {
  CATALOG_DB_FILE,
  openCatalogDatabase,
  SqliteRunbookCatalog,
} from '../../../src/catalog/sqlite-catalog';
import { UnavailableError } from '../../../src/errors';
import { aRunbook } from '../../fixtures/catalog-runbooks';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-catalog-migrations-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function context(): MigrationContext {
  return { dataDir, warnings: [] };
}

function tables(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
}

test('the migrations are numbered 1, 2, 3, ... in list order', () => {
  expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
});

test('a new database is brought to the latest version, with the runbooks table', () => {
  const { db } = openCatalogDatabase(dataDir);
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toEqual(['catalog_meta', 'runbooks']);
  } finally {
    db.close();
  }
});

test('migrating again changes nothing and keeps the records', async () => {
  const runbook = aRunbook('acme', 'restart web');
  const catalog = new SqliteRunbookCatalog(dataDir);
  await catalog.put(runbook);
  await catalog.close();

  const db = new Database(path.join(dataDir, CATALOG_DB_FILE));
  try {
    expect(migrate(db, context())).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    expect(migrate(db, context())).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  } finally {
    db.close();
  }
  const reopened = new SqliteRunbookCatalog(dataDir);
  expect(await reopened.list('acme')).toEqual([runbook]);
  await reopened.close();
});

describe('the migration runner', () => {
  const addNotes: Migration = {
    version: 2,
    description: 'notes',
    up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT'),
  };

  test('applies only the migrations above the current version', () => {
    const db = new Database(':memory:');
    try {
      const first = MIGRATIONS[0] as Migration;
      expect(migrate(db, context(), [first])).toEqual({ from: 0, to: 1 });
      expect(migrate(db, context(), [first, addNotes])).toEqual({ from: 1, to: 2 });
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(tables(db)).toEqual(['catalog_meta', 'notes', 'runbooks']);
    } finally {
      db.close();
    }
  });

  test('a failing migration leaves the schema and the version as they were', () => {
    const db = new Database(':memory:');
    try {
      const broken: Migration = {
        version: 3,
        description: 'fails halfway',
        up: (d) => {
          d.exec('CREATE TABLE half (id INTEGER PRIMARY KEY)');
          throw new Error('disk gremlin');
        },
      };
      expect(() => migrate(db, context(), [...MIGRATIONS, addNotes, broken])).toThrow('disk gremlin');
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(tables(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('a database of a newer schema version is refused: UnavailableError, nothing changed', async () => {
    const db = new Database(path.join(dataDir, CATALOG_DB_FILE));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();

    const catalog = new SqliteRunbookCatalog(dataDir);
    const err: unknown = await catalog.list('acme').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toBe(
      `Catalog is unavailable: the database has schema version ${LATEST_SCHEMA_VERSION + 1}, this program knows up to ${LATEST_SCHEMA_VERSION}`,
    );
    await catalog.close();
  });
});
