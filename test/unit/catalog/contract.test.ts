/**
 * The catalog's contract, the same cases against every store (the embedded SQLite store and a real PostgreSQL
 * server started for this file): get, list, put, remove, scoped by solution; put atomic with what it replaced;
 * what survives a new process; a corrupt stored record; a closed catalog.
 */
import { ZodError } from 'zod';
import { CatalogWarningCode, type CatalogWarning } from '../../../src/catalog/errors';
import type { Runbook } from '../../../src/catalog/model';
import { UnavailableError } from '../../../src/errors';
import { aRunbook } from '../../fixtures/catalog-runbooks';
import { postgresStore, sqliteStore, type StoreKind, type StoreUnderTest } from './stores';

jest.setTimeout(60_000);

describe.each<StoreKind>([sqliteStore, postgresStore()])('the $name catalog', (kind) => {
  let store: StoreUnderTest;

  beforeAll(() => kind.start());
  afterAll(() => kind.stop());
  beforeEach(async () => {
    store = await kind.fresh();
  });
  afterEach(() => store.dispose());

  describe('get, put, remove', () => {
    test('a runbook put is got back equal', async () => {
      const catalog = store.open();
      const runbook = aRunbook('acme', 'restart web');
      await catalog.put(runbook);
      expect(await catalog.get('acme', runbook.uuid)).toEqual(runbook);
    });

    test('put answers what it replaced, read in the same transaction: nothing the first time', async () => {
      const catalog = store.open();
      const first = aRunbook('acme', 'restart web');
      const second = aRunbook('acme', 'restart web v2', first.uuid);
      expect(await catalog.put(first)).toBeUndefined();
      expect(await catalog.put(second)).toEqual(first);
      // Two catalogs on one store (two processes): the second put sees the first's write.
      expect(await store.open().put(first)).toEqual(second);
      // The same uuid in another solution is another runbook.
      expect(await catalog.put({ ...first, solution: 'globex' })).toBeUndefined();
    });

    test('concurrent puts of one runbook each replace the one before: one chain, nothing replaced twice', async () => {
      const catalogs = [store.open(), store.open()];
      const uuid = aRunbook('acme', 'x').uuid;
      const puts = Array.from({ length: 40 }, (_, i) => aRunbook('acme', `version ${i}`, uuid));
      const replaced = await Promise.all(
        puts.map((r, i) => (catalogs[i % 2] as (typeof catalogs)[0]).put(r)),
      );

      // Exactly one put found nothing; every other found a different earlier put; the last one is stored.
      expect(replaced.filter((r) => r === undefined)).toHaveLength(1);
      const names = replaced.filter((r): r is Runbook => r !== undefined).map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      const stored = await catalogs[0]?.get('acme', uuid);
      expect(stored).toBeDefined();
      expect([...names, stored?.name].sort()).toEqual(puts.map((r) => r.name).sort());
    });

    test('an unknown uuid is undefined', async () => {
      const catalog = store.open();
      await catalog.put(aRunbook('acme', 'restart web'));
      expect(await catalog.get('acme', aRunbook('acme', 'other').uuid)).toBeUndefined();
    });

    test('a key no runbook can have (a NUL character) finds nothing instead of failing', async () => {
      const catalog = store.open();
      expect(await catalog.get('acme', 'a\u0000b')).toBeUndefined();
      expect(await catalog.list('ac\u0000me')).toEqual([]);
      expect(await catalog.remove('acme', 'a\u0000b')).toBe(false);
    });

    test('put replaces the runbook with the same solution and uuid', async () => {
      const catalog = store.open();
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
      const catalog = store.open();
      const invalid = { ...aRunbook('acme', 'restart web'), name: '' };
      await expect(catalog.put(invalid)).rejects.toThrow(ZodError);
      await expect(catalog.put(invalid)).rejects.toThrow('Runbook name must not be empty');
      expect(await catalog.list('acme')).toEqual([]);
    });

    test('put does not mutate its input', async () => {
      const catalog = store.open();
      const runbook = aRunbook('acme', 'restart web');
      const copy = structuredClone(runbook);
      await catalog.put(runbook);
      expect(runbook).toEqual(copy);
    });

    test('remove answers true when the runbook existed, then false', async () => {
      const catalog = store.open();
      const runbook = aRunbook('acme', 'restart web');
      await catalog.put(runbook);
      expect(await catalog.remove('acme', runbook.uuid)).toBe(true);
      expect(await catalog.get('acme', runbook.uuid)).toBeUndefined();
      expect(await catalog.remove('acme', runbook.uuid)).toBe(false);
    });

    test('what was written is there for the next catalog opened on the store', async () => {
      const runbook = aRunbook('acme', 'restart web');
      const writer = store.open();
      await writer.put(runbook);
      await writer.close?.();
      expect(await store.open().get('acme', runbook.uuid)).toEqual(runbook);
    });

    test('names and request bodies come back exactly: unicode, escapes, a NUL inside a name', async () => {
      const catalog = store.open();
      const runbook: Runbook = {
        ...aRunbook('acme', 'redémarrer ☃ "web" \\ \u0000 end'),
        trigger: {
          template: '5b8f7a62-3c1d-4e0a-9f6b-1d2e3c4b5a61',
          schedule: { frequency: 'daily', time_zone: 'Europe/Paris' },
          request_body: { emoji: '🚀', nested: { list: [1, 'two', null, true] } },
        },
      };
      await catalog.put(runbook);
      expect(await store.open().get('acme', runbook.uuid)).toEqual(runbook);
    });
  });

  describe('solution scoping', () => {
    test('the same uuid in two solutions is two runbooks, and no call reaches the other solution', async () => {
      const warnings: CatalogWarning[] = [];
      const catalog = store.open({ warnings });
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
    test('orders by name as the JSON catalog did (localeCompare), not by byte order', async () => {
      const catalog = store.open();
      for (const name of ['beta', 'Zeta', 'alpha', 'Alpha']) await catalog.put(aRunbook('acme', name));
      expect((await catalog.list('acme')).map((r) => r.name)).toEqual(['alpha', 'Alpha', 'beta', 'Zeta']);
    });
  });

  describe('a corrupt stored record', () => {
    test('reads as absent, is left out of list, and is reported once with its ids', async () => {
      const warnings: CatalogWarning[] = [];
      const catalog = store.open({ warnings });
      const good = aRunbook('acme', 'good');
      await catalog.put(good);
      const bad = aRunbook('acme', 'bad');
      await store.storeRaw('acme', bad.uuid, 'bad', JSON.stringify({ ...bad, target: { kind: 'ftp' } }));

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
      const catalog = store.open({ warnings });
      const elsewhere = aRunbook('globex', 'moved');
      await store.storeRaw('acme', elsewhere.uuid, 'moved', JSON.stringify(elsewhere));
      expect(await catalog.get('acme', elsewhere.uuid)).toBeUndefined();
      expect(warnings.map((w) => w.message)).toEqual([
        `Runbook ${elsewhere.uuid} of solution acme cannot be read from the catalog and is treated as absent: its solution or uuid differs from its key`,
      ]);
    });

    test('put repairs it, answering nothing readable replaced, and remove deletes it', async () => {
      const catalog = store.open();
      const repaired = aRunbook('acme', 'repaired');
      const removed = aRunbook('acme', 'removed');
      await store.storeRaw('acme', repaired.uuid, 'repaired', '{"uuid": 1}');
      await store.storeRaw('acme', removed.uuid, 'removed', '[]');

      expect(await catalog.put(repaired)).toBeUndefined();
      expect(await catalog.get('acme', repaired.uuid)).toEqual(repaired);
      expect(await catalog.remove('acme', removed.uuid)).toBe(true);
      expect(await catalog.remove('acme', removed.uuid)).toBe(false);
    });
  });

  describe('a closed catalog', () => {
    test('every call rejects with UnavailableError; closing twice is harmless', async () => {
      const catalog = store.open();
      const runbook = aRunbook('acme', 'x');
      await catalog.put(runbook);
      await catalog.close?.();
      await catalog.close?.();
      for (const call of [
        () => catalog.list('acme'),
        () => catalog.get('acme', runbook.uuid),
        () => catalog.put(runbook),
        () => catalog.remove('acme', runbook.uuid),
      ]) {
        const err: unknown = await call().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnavailableError);
        expect((err as Error).message).toBe('Catalog is unavailable: the catalog is closed');
      }
      expect(await store.open().get('acme', runbook.uuid)).toEqual(runbook);
    });
  });
});
