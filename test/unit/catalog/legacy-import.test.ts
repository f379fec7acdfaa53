/**
 * The one-time import of the old JSON catalog (`<dataDir>/catalog.json`, `{version: 1, runbooks: [...]}`): in
 * the transaction of the migration that creates the table, then renamed to `catalog.json.imported`; never
 * imported twice; invalid records are left out, reported, and kept in the renamed file.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogImportError, CatalogWarningCode, type CatalogWarning } from '../../../src/catalog/errors';
import { IMPORTED_CATALOG_FILE, LEGACY_CATALOG_FILE } from '../../../src/catalog/legacy-json';
import { LATEST_SCHEMA_VERSION } from '../../../src/catalog/migrations';
import { openCatalogDatabase, SqliteRunbookCatalog } from '../../../src/catalog/sqlite-catalog';
import { aRunbook } from '../../fixtures/catalog-runbooks';

let dataDir: string;
let legacyFile: string;
let importedFile: string;
const open: SqliteRunbookCatalog[] = [];

function catalogIn(warnings: CatalogWarning[] = []): SqliteRunbookCatalog {
  const catalog = new SqliteRunbookCatalog(dataDir, { onWarning: (w) => warnings.push(w) });
  open.push(catalog);
  return catalog;
}

function writeLegacy(content: unknown): string {
  const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
  writeFileSync(legacyFile, text);
  return text;
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-catalog-import-'));
  legacyFile = path.join(dataDir, LEGACY_CATALOG_FILE);
  importedFile = path.join(dataDir, IMPORTED_CATALOG_FILE);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

test('the runbooks of catalog.json are imported, and the file is renamed unchanged', async () => {
  const web = aRunbook('acme', 'restart web');
  const queue = aRunbook('acme', 'drain queue');
  const other = aRunbook('globex', 'rotate keys');
  const text = writeLegacy({ version: 1, runbooks: [web, other, queue] });
  const warnings: CatalogWarning[] = [];
  const catalog = catalogIn(warnings);

  expect(await catalog.list('acme')).toEqual([queue, web]);
  expect(await catalog.get('globex', other.uuid)).toEqual(other);
  expect(existsSync(legacyFile)).toBe(false);
  expect(readFileSync(importedFile, 'utf8')).toBe(text);
  expect(warnings).toEqual([]);
});

test('invalid and duplicate records are left out, named in warnings, and kept in the renamed file', async () => {
  const valid = aRunbook('acme', 'restart web');
  const noName = { ...aRunbook('acme', 'x'), name: '' };
  const duplicate = { ...valid, name: 'restart web again' };
  const text = writeLegacy({ version: 1, runbooks: [valid, noName, 'not a runbook', duplicate] });
  const warnings: CatalogWarning[] = [];
  const catalog = catalogIn(warnings);

  expect(await catalog.list('acme')).toEqual([valid]);
  expect(warnings).toEqual([
    {
      code: CatalogWarningCode.ImportSkippedRecord,
      message: `catalog.json runbooks[1] (uuid ${noName.uuid}, solution acme) was not imported: name: Runbook name must not be empty; it remains in catalog.json.imported`,
      solution: 'acme',
      uuid: noName.uuid,
    },
    {
      code: CatalogWarningCode.ImportSkippedRecord,
      message: `catalog.json runbooks[2] was not imported: Invalid input: expected object, received string; it remains in catalog.json.imported`,
    },
    {
      code: CatalogWarningCode.ImportSkippedRecord,
      message: `catalog.json runbooks[3] (uuid ${valid.uuid}, solution acme) was not imported: duplicate of runbooks[0]; it remains in catalog.json.imported`,
      solution: 'acme',
      uuid: valid.uuid,
    },
  ]);
  expect(readFileSync(importedFile, 'utf8')).toBe(text);
});

test('the import happens once: a catalog.json that appears later is not imported and is left alone', async () => {
  const imported = aRunbook('acme', 'restart web');
  const importedText = writeLegacy({ version: 1, runbooks: [imported] });
  const first = catalogIn();
  expect(await first.list('acme')).toEqual([imported]);
  await first.remove('acme', imported.uuid);
  await first.close();

  const later = aRunbook('acme', 'late arrival');
  const laterText = writeLegacy({ version: 1, runbooks: [imported, later] });
  const warnings: CatalogWarning[] = [];
  const second = catalogIn(warnings);

  expect(await second.list('acme')).toEqual([]);
  expect(readFileSync(legacyFile, 'utf8')).toBe(laterText);
  expect(readFileSync(importedFile, 'utf8')).toBe(importedText);
  expect(warnings).toEqual([
    {
      code: CatalogWarningCode.ImportIgnoredFile,
      message:
        'catalog.json was not imported: the catalog database already exists (move the file away to silence this warning)',
    },
  ]);
});

test('a crash between the import and the rename is finished on the next open, without importing again', async () => {
  const runbook = aRunbook('acme', 'restart web');
  writeLegacy({ version: 1, runbooks: [runbook] });
  const first = catalogIn();
  await first.put(aRunbook('acme', 'added after the import'));
  await first.remove('acme', runbook.uuid);
  await first.close();
  // The state a crash after the commit and before the rename leaves: the imported file still in place.
  copyFileSync(importedFile, legacyFile);
  rmSync(importedFile);

  const warnings: CatalogWarning[] = [];
  const second = catalogIn(warnings);
  expect((await second.list('acme')).map((r) => r.name)).toEqual(['added after the import']);
  expect(existsSync(legacyFile)).toBe(false);
  expect(existsSync(importedFile)).toBe(true);
  expect(warnings).toEqual([]);
});

test('without an onWarning option, a warning is a Node process warning', async () => {
  const invalid = { ...aRunbook('acme', 'x'), name: '' };
  writeLegacy({ version: 1, runbooks: [invalid] });
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    const catalog = new SqliteRunbookCatalog(dataDir);
    open.push(catalog);
    expect(await catalog.list('acme')).toEqual([]);
    expect(emitWarning.mock.calls).toEqual([
      [
        `catalog.json runbooks[0] (uuid ${invalid.uuid}, solution acme) was not imported: name: Runbook name must not be empty; it remains in catalog.json.imported`,
        { type: 'RunbookCatalogWarning', code: CatalogWarningCode.ImportSkippedRecord },
      ],
    ]);
  } finally {
    emitWarning.mockRestore();
  }
});

describe('a catalog.json that is not in the old format', () => {
  test.each([
    ['not JSON', '{"version": 1, "runbooks": [', 'Cannot import catalog.json: it is not valid JSON'],
    [
      'another version',
      '{"version": 2, "runbooks": []}',
      'Cannot import catalog.json: expected {"version": 1, "runbooks": [...]}',
    ],
  ])('%s: CatalogImportError, nothing migrated, the file left in place', async (_, text, message) => {
    writeLegacy(text);
    const catalog = catalogIn();
    const err: unknown = await catalog.list('acme').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogImportError);
    expect((err as Error).message).toBe(message);
    expect(readFileSync(legacyFile, 'utf8')).toBe(text);
    expect(existsSync(importedFile)).toBe(false);
  });

  test('once repaired, it is imported on the next call', async () => {
    writeLegacy('{"version": 1, "runbooks": [');
    const catalog = catalogIn();
    await expect(catalog.list('acme')).rejects.toThrow(CatalogImportError);

    const runbook = aRunbook('acme', 'restart web');
    writeLegacy({ version: 1, runbooks: [runbook] });
    expect(await catalog.list('acme')).toEqual([runbook]);

    const { db } = openCatalogDatabase(dataDir);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });
});
