/**
 * The catalog database's schema, versioned in the code: an ordered list of migrations, applied under
 * `PRAGMA user_version` inside one `BEGIN IMMEDIATE` transaction. The version is read again once the write
 * lock is held, so when several processes open a new database at once, one applies the migrations and the
 * others find them applied; a migration that fails leaves the database as it was.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Dependency, UnavailableError } from '../errors';
import {
  CatalogUnavailableReason,
  CatalogWarningCode,
  CatalogWarningMessages,
  type CatalogWarning,
} from './errors';
import { IMPORTED_CATALOG_FILE, LEGACY_CATALOG_FILE, parseLegacyCatalog } from './legacy-json';

/** Where a migration runs: the data directory (for the one-time import) and where warnings go. */
export interface MigrationContext {
  readonly dataDir: string;
  /** Collects warnings; they are reported once the transaction has committed. */
  readonly warnings: CatalogWarning[];
}

/** One step of the schema. `up` runs inside the migration transaction and must not commit. */
export interface Migration {
  /** The `user_version` the database has once this migration is applied: 1, 2, 3, ... in list order. */
  readonly version: number;
  readonly description: string;
  up(db: BetterSqlite3.Database, context: MigrationContext): void;
}

/** Key of the `catalog_meta` row that records the one-time import of the old JSON catalog. */
export const LEGACY_IMPORT_META_KEY = 'legacy_json_import';

/** What the one-time import did, as recorded in `catalog_meta`. */
export interface LegacyImportRecord {
  /** SHA-256 of the imported file, so that a file left behind by a crash is recognised and renamed. */
  readonly sha256: string;
  readonly imported: number;
  readonly skipped: number;
}

interface LegacyFile {
  readonly text: string;
  readonly sha256: string;
}

function readLegacyFile(dataDir: string): LegacyFile | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dataDir, LEGACY_CATALOG_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.legacyFile, { cause: err });
  }
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Imports `catalog.json` into the new table, in the transaction that creates it. */
function importLegacyCatalog(db: BetterSqlite3.Database, context: MigrationContext): void {
  const file = readLegacyFile(context.dataDir);
  if (!file) return;
  const { runbooks, skipped } = parseLegacyCatalog(file.text);
  const insert = db.prepare('INSERT INTO runbooks (solution, uuid, name, runbook) VALUES (?, ?, ?, ?)');
  for (const runbook of runbooks) {
    insert.run(runbook.solution, runbook.uuid, runbook.name, JSON.stringify(runbook));
  }
  const record: LegacyImportRecord = {
    sha256: file.sha256,
    imported: runbooks.length,
    skipped: skipped.length,
  };
  db.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?)').run(
    LEGACY_IMPORT_META_KEY,
    JSON.stringify(record),
  );
  for (const record of skipped) {
    context.warnings.push({
      code: CatalogWarningCode.ImportSkippedRecord,
      message: CatalogWarningMessages.importSkipped(
        LEGACY_CATALOG_FILE,
        IMPORTED_CATALOG_FILE,
        record.index,
        record,
        record.reason,
      ),
      ...(record.solution === undefined ? {} : { solution: record.solution }),
      ...(record.uuid === undefined ? {} : { uuid: record.uuid }),
    });
  }
}

/** The schema, oldest first. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runbooks keyed by (solution, uuid) as validated JSON; one-time import of catalog.json',
    up(db, context) {
      db.exec(`
        CREATE TABLE runbooks (
          solution TEXT NOT NULL,
          uuid TEXT NOT NULL,
          name TEXT NOT NULL,
          runbook TEXT NOT NULL CHECK (json_valid(runbook)),
          PRIMARY KEY (solution, uuid)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE catalog_meta (
          key TEXT NOT NULL PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
      `);
      importLegacyCatalog(db, context);
    },
  },
];

/** The schema version this program writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** What {@link migrate} found and did. */
export interface MigrationOutcome {
  readonly from: number;
  readonly to: number;
}

function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(version: number): void {
  if (version > LATEST_SCHEMA_VERSION) {
    throw new UnavailableError(
      Dependency.Catalog,
      CatalogUnavailableReason.newerSchema(version, LATEST_SCHEMA_VERSION),
    );
  }
}

/**
 * Brings the database to {@link LATEST_SCHEMA_VERSION}. `from` is the version found under the write lock, so
 * `from === to` means another process (or an earlier start) had applied everything.
 * @throws {@link UnavailableError} when the database was written by a newer program (a higher version).
 * @throws {@link CatalogImportError} when the old `catalog.json` cannot be imported (nothing is changed).
 */
export function migrate(
  db: BetterSqlite3.Database,
  context: MigrationContext,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationOutcome {
  const latest = migrations.length;
  const seen = schemaVersion(db);
  refuseNewer(seen);
  if (seen === latest) return { from: seen, to: seen };
  return db
    .transaction((): MigrationOutcome => {
      // Read again under the write lock: another process may have migrated since the first read.
      const from = schemaVersion(db);
      refuseNewer(from);
      for (const migration of migrations.slice(from)) migration.up(db, context);
      // user_version lives in the database header, so it commits (or rolls back) with the migrations.
      db.pragma(`user_version = ${latest}`);
      return { from, to: latest };
    })
    .immediate();
}

/** The recorded one-time import, if any. */
export function legacyImportRecord(db: BetterSqlite3.Database): LegacyImportRecord | undefined {
  const row = db.prepare('SELECT value FROM catalog_meta WHERE key = ?').get(LEGACY_IMPORT_META_KEY) as
    { value: string } | undefined;
  return row ? (JSON.parse(row.value) as LegacyImportRecord) : undefined;
}

/**
 * After the migrations have committed: renames an imported `catalog.json` to `catalog.json.imported`. Done on
 * every open, not only by the process that imported, so that a crash between the commit and the rename is
 * repaired on the next start (the file's hash says it is the one imported). A `catalog.json` that was not
 * imported (it appeared after the database was created) is left alone and reported.
 */
export function settleLegacyFile(db: BetterSqlite3.Database, context: MigrationContext): void {
  const file = readLegacyFile(context.dataDir);
  if (!file) return;
  const record = legacyImportRecord(db);
  if (record?.sha256 !== file.sha256) {
    context.warnings.push({
      code: CatalogWarningCode.ImportIgnoredFile,
      message: CatalogWarningMessages.importIgnored(LEGACY_CATALOG_FILE),
    });
    return;
  }
  try {
    renameSync(
      path.join(context.dataDir, LEGACY_CATALOG_FILE),
      path.join(context.dataDir, IMPORTED_CATALOG_FILE),
    );
  } catch (err) {
    // Another process opening at the same time renamed it first.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UnavailableError(Dependency.Catalog, CatalogUnavailableReason.legacyFile, { cause: err });
    }
  }
}
