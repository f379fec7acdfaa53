/**
 * The SQLite catalog's behaviour through the RunbookCatalog interface: get, list, put, remove, scoped by
 * solution; what survives a new process; a corrupt stored record; when the database cannot serve.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZodError } from 'zod';
import {
  CatalogUnavailableReason,
  CatalogWarningCode,
  type CatalogWarning,
} from '../../../src/catalog/errors';
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

describe('get, put, remove', () => {
  test('a runbook put is got back equal, from <dataDir>/catalog.db', async () => {
    const catalog = catalogIn(path.join(dataDir, 'nested', 'data'));
    const runbook = aRunbook('acme', 'restart web');
    await catalog.put(runbook);
    expect(await catalog.get('acme', runbook.uuid)).toEqual(runbook);
    expect(catalog.location).toBe(path.join(dataDir, 'nested', 'data', CATALOG_DB_FILE));
  });

  test('put answers what it replaced, read in the same transaction: nothing the first time', async () => {
    const catalog = catalogIn(dataDir);
    const first = aRunbook('acme', 'restart web');
    const second = { ...aRunbook('acme', 'restart web v2', first.uuid) };
    expect(await catalog.put(first)).toBeUndefined();
    expect(await catalog.put(second)).toEqual(first);
    // Two catalogs on one file (two processes): the second put sees the first's write.
    const other = catalogIn(dataDir);
    expect(await other.put(first)).toEqual(second);
    // The same uuid in another solution is another runbook.
    expect(await catalog.put({ ...first, solution: 'globex' })).toBeUndefined();
  });

  test('an unknown uuid is undefined', async () => {
    const catalog = catalogIn(dataDir);
    await catalog.put(aRunbook('acme', 'restart web'));
    expect(await catalog.get('acme', aRunbook('acme', 'other').uuid)).toBeUndefined();
  });

  test('put replaces the runbook with the same solution and uuid', async () => {
    const catalog = catalogIn(dataDir);
    const first = aRunbook('acme', 'restart web');
    const second = {
      ...aRunbook('acme', 'restart web v2', first.uuid),
      target: { kind: 'workflow' as const, workflowType: 'restart', taskQueue: 'ops' },
    };
    await catalog.put(first);
    await catalog.put(second);
    expect(await catalog.get('acme', first.uuid)).toEqual(second);
    expect(await catalog.list('acme')).toEqual([second]);
  });

  test('put rejects an invalid runbook with the zod error and writes nothing', async () => {
    const catalog = catalogIn(dataDir);
    const invalid = { ...aRunbook('acme', 'restart web'), name: '' };
    await expect(catalog.put(invalid)).rejects.toThrow(ZodError);
    await expect(catalog.put(invalid)).rejects.toThrow('Runbook name must not be empty');
    expect(await catalog.list('acme')).toEqual([]);
  });

  test('put does not mutate its input', async () => {
    const catalog = catalogIn(dataDir);
    const runbook = aRunbook('acme', 'restart web');
    const copy = structuredClone(runbook);
    await catalog.put(runbook);
    expect(runbook).toEqual(copy);
  });

  test('remove answers true when the runbook existed, then false', async () => {
    const catalog = catalogIn(dataDir);
    const runbook = aRunbook('acme', 'restart web');
    await catalog.put(runbook);
    expect(await catalog.remove('acme', runbook.uuid)).toBe(true);
    expect(await catalog.get('acme', runbook.uuid)).toBeUndefined();
    expect(await catalog.remove('acme', runbook.uuid)).toBe(false);
  });

  test('what was written is there for the next catalog opened on the directory', async () => {
    const runbook = aRunbook('acme', 'restart web');
    const writer = catalogIn(dataDir);
    await writer.put(runbook);
    await writer.close();
    expect(await catalogIn(dataDir).get('acme', runbook.uuid)).toEqual(runbook);
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
});

describe('solution scoping', () => {
  test('the same uuid in two solutions is two runbooks, and no call reaches the other solution', async () => {
    const warnings: CatalogWarning[] = [];
    const catalog = catalogIn(dataDir, warnings);
    const mine = aRunbook('acme', 'restart web');
    const theirs = aRunbook('globex', 'drain queue', mine.uuid);
    await catalog.put(mine);
    await catalog.put(theirs);

    expect(await catalog.get('acme', mine.uuid)).toEqual(mine);
    expect(await catalog.get('globex', mine.uuid)).toEqual(theirs);
    expect(await catalog.list('acme')).toEqual([mine]);
    expect(await catalog.list('initech')).toEqual([]);

    expect(await catalog.remove('acme', mine.uuid)).toBe(true);
    expect(await catalog.get('globex', mine.uuid)).toEqual(theirs);
    expect(warnings).toEqual([]);
  });
});

describe('list', () => {
  test('orders by name as the JSON catalog did (localeCompare), not by SQLite byte order', async () => {
    const catalog = catalogIn(dataDir);
    for (const name of ['beta', 'Zeta', 'alpha', 'Alpha']) await catalog.put(aRunbook('acme', name));
    expect((await catalog.list('acme')).map((r) => r.name)).toEqual(['alpha', 'Alpha', 'beta', 'Zeta']);
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

describe('a corrupt stored record', () => {
  function storeRaw(solution: string, uuid: string, name: string, json: string): void {
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
  }

  test('reads as absent, is left out of list, and is reported once with its ids', async () => {
    const warnings: CatalogWarning[] = [];
    const catalog = catalogIn(dataDir, warnings);
    const good = aRunbook('acme', 'good');
    await catalog.put(good);
    const bad = aRunbook('acme', 'bad');
    storeRaw('acme', bad.uuid, 'bad', JSON.stringify({ ...bad, target: { kind: 'ftp' } }));

    expect(await catalog.get('acme', bad.uuid)).toBeUndefined();
    expect(await catalog.list('acme')).toEqual([good]);
    expect(await catalog.list('acme')).toEqual([good]);
    expect(warnings).toEqual([
      {
        code: CatalogWarningCode.CorruptRecord,
        message: `Runbook ${bad.uuid} of solution acme cannot be read from the catalog and is treated as absent: Target kind must be "http" or "workflow"`,
        solution: 'acme',
        uuid: bad.uuid,
      },
    ]);
  });

  test('a record whose body names another key is corrupt too', async () => {
    const warnings: CatalogWarning[] = [];
    const catalog = catalogIn(dataDir, warnings);
    const elsewhere = aRunbook('globex', 'moved');
    storeRaw('acme', elsewhere.uuid, 'moved', JSON.stringify(elsewhere));
    expect(await catalog.get('acme', elsewhere.uuid)).toBeUndefined();
    expect(warnings.map((w) => w.message)).toEqual([
      `Runbook ${elsewhere.uuid} of solution acme cannot be read from the catalog and is treated as absent: its solution or uuid differs from its key`,
    ]);
  });

  test('put repairs it and remove deletes it', async () => {
    const catalog = catalogIn(dataDir);
    const repaired = aRunbook('acme', 'repaired');
    const removed = aRunbook('acme', 'removed');
    storeRaw('acme', repaired.uuid, 'repaired', '{"uuid": 1}');
    storeRaw('acme', removed.uuid, 'removed', '[]');

    await catalog.put(repaired);
    expect(await catalog.get('acme', repaired.uuid)).toEqual(repaired);
    expect(await catalog.remove('acme', removed.uuid)).toBe(true);
    expect(await catalog.remove('acme', removed.uuid)).toBe(false);
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

  test('a closed catalog', async () => {
    const catalog = catalogIn(dataDir);
    await catalog.put(aRunbook('acme', 'x'));
    await catalog.close();
    const err = await unavailable(() => catalog.list('acme'));
    expect(err.message).toBe('Catalog is unavailable: the catalog is closed');
  });
});
