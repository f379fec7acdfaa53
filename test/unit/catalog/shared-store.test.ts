/**
 * One store shared by several processes, against every store (SQLite, and a real PostgreSQL server started for
 * this file): processes putting one runbook at once each replace a different earlier put (one chain, nothing
 * replaced twice, the last one stored), and processes opening a new store at once migrate it once.
 */
import { randomUUID } from 'node:crypto';
import { aRunbook } from '../../fixtures/catalog-runbooks';
import { killHard, startFixture, type Child } from './children';
import { postgresStore, sqliteStore, type StoreKind, type StoreUnderTest } from './stores';

jest.setTimeout(120_000);

describe.each<StoreKind>([sqliteStore, postgresStore()])('the $name catalog shared by processes', (kind) => {
  let store: StoreUnderTest;
  const children: Child[] = [];

  beforeAll(() => kind.start());
  afterAll(() => kind.stop());
  beforeEach(async () => {
    store = await kind.fresh();
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(killHard));
    await store.dispose();
  });

  /** Starts the processes, waits until each is ready, releases them together, and answers their reports. */
  async function together(processes: number, uuid: string, puts: number) {
    const started = Array.from({ length: processes }, () =>
      startFixture('catalog-same-runbook.ts', [store.location, uuid, String(puts)]),
    );
    children.push(...started);
    await Promise.all(started.map((c) => c.nextLine((line) => line === 'ready')));
    started.forEach((c) => c.process.stdin.write('go\n'));
    const results = await Promise.all(started.map((c) => c.exited));
    results.forEach(({ code, signal, stderr }) =>
      expect({ code, signal, stderr: code === 0 ? '' : stderr }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      }),
    );
    return Promise.all(
      started.map(
        async (c) => JSON.parse(await c.nextLine()) as { written: string[]; replaced: Array<string | null> },
      ),
    );
  }

  test('two processes putting one runbook on a new store: each put replaced a different one, the last is stored', async () => {
    const uuid = randomUUID();
    const reports = await together(2, uuid, 100);

    const written = reports.flatMap((r) => r.written);
    const replaced = reports.flatMap((r) => r.replaced);
    // One chain through all the puts: exactly one found nothing, no put was replaced twice, and the one no put
    // replaced is the one stored.
    expect(replaced.filter((r) => r === null)).toHaveLength(1);
    const names = replaced.filter((r): r is string => r !== null);
    expect(new Set(names).size).toBe(names.length);
    const stored = await store.open().get('acme', uuid);
    expect(written.filter((w) => !names.includes(w))).toEqual([stored?.name]);
    // Both processes really interleaved: each replaced at least one put of the other.
    reports.forEach((report, i) => {
      const others = new Set(reports.filter((_, j) => j !== i).flatMap((r) => r.written));
      expect(report.replaced.some((r) => r !== null && others.has(r))).toBe(true);
    });
  });

  test('four processes opening a new store at once all succeed: one migrates it, the others wait and find it done', async () => {
    const reports = await together(4, randomUUID(), 1);
    expect(reports.flatMap((r) => r.replaced).filter((r) => r === null)).toHaveLength(1);
    const catalog = store.open();
    expect(await catalog.list('acme')).toHaveLength(1);
    await catalog.put(aRunbook('acme', 'after'));
    expect(await catalog.list('acme')).toHaveLength(2);
  });
});
