/**
 * What only the SQLite store does: its file in the data directory, chosen by open.ts without a database URL,
 * its durability settings, and the outages of a file. The behaviour every store shares (get, list, put,
 * remove, scoping, corrupt records, a closed catalog) is in contract.test.ts, run against this store too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogUnavailableReason, type CatalogWarning } from '../../../src/catalog/errors';
import { openRunbookCatalog } from '../../../src/catalog/open';
import {
  CATALOG_DB_FILE,
  openCatalogDatabase,
  SqliteRunbookCatalog,
} from '../../../src/catalog/sqlite-catalog';
import { UnavailableError } from '../../../src/errors';
import { aRunbook } from '../../fixtures/catalog-runbooks';

let dataDir: string;
const open: SqliteRunbookCatalog[] = [];

function catalogIn(dir: string, warnings: CatalogWarning[] = []): SqliteRunbookCatalog {
  const catalog = new SqliteRunbookCatalog(dir, { onWarning: (w) => warnings.push(w) });
  open.push(catalog);
  return catalog;
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-sqlite-catalog-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the store of a data directory', () => {
  test('a runbook put is got back equal, from <dataDir>/catalog.db', async () => {
    const catalog = catalogIn(path.join(dataDir, 'nested', 'data'));
    const runbook = aRunbook('acme', 'restart web');
    await catalog.put(runbook);
    expect(await catalog.get('acme', runbook.uuid)).toEqual(runbook);
    expect(catalog.location).toBe(path.join(dataDir, 'nested', 'data', CATALOG_DB_FILE));
  });

  test('openRunbookCatalog gives the SQLite catalog of the directory', async () => {
    const runbook = aRunbook('acme', 'restart web');
    const catalog = openRunbookCatalog(dataDir, { onWarning: () => undefined });
    try {
      await catalog.put(runbook);
    } finally {
      await catalog.close?.();
    }
    expect(await catalogIn(dataDir).get('acme', runbook.uuid)).toEqual(runbook);
  });

  test('settings without a database URL give the SQLite catalog of their data directory', async () => {
    const catalog = openRunbookCatalog({ dataDir }, { onWarning: () => undefined });
    try {
      expect(catalog).toBeInstanceOf(SqliteRunbookCatalog);
      expect((catalog as SqliteRunbookCatalog).location).toBe(path.join(dataDir, CATALOG_DB_FILE));
    } finally {
      await catalog.close?.();
    }
  });
});

describe('durability settings', () => {
  test('the connection is in WAL mode with synchronous=FULL and the busy timeout', () => {
    const { db } = openCatalogDatabase(dataDir, { busyTimeoutMs: 1234 });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    } finally {
      db.close();
    }
  });
});

describe('when the database cannot serve', () => {
  async function unavailable(run: () => Promise<unknown>): Promise<UnavailableError> {
    const err: unknown = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnavailableError);
    return err as UnavailableError;
  }

  test('a data directory that cannot be created: UnavailableError without the path, then recovers', async () => {
    const blocked = path.join(dataDir, 'blocked');
    writeFileSync(blocked, 'a file where the directory should be');
    const catalog = catalogIn(path.join(blocked, 'data'));
    const err = await unavailable(() => catalog.list('acme'));
    expect(err.message).toBe('Catalog is unavailable: the data directory cannot be created');
    expect(err.reason).toBe(CatalogUnavailableReason.dataDir);

    rmSync(blocked);
    expect(await catalog.list('acme')).toEqual([]);
  });

  test('a database file that cannot be opened', async () => {
    mkdirSync(path.join(dataDir, CATALOG_DB_FILE));
    const err = await unavailable(() => catalogIn(dataDir).get('acme', aRunbook('acme', 'x').uuid));
    expect(err.message).toBe('Catalog is unavailable: the database file cannot be opened');
    expect(err.message).not.toContain(dataDir);
  });

  test('a file that is not a database', async () => {
    writeFileSync(path.join(dataDir, CATALOG_DB_FILE), 'x'.repeat(8192));
    const err = await unavailable(() => catalogIn(dataDir).put(aRunbook('acme', 'x')));
    expect(err.message).toBe('Catalog is unavailable: the database file is corrupt');
  });
});
