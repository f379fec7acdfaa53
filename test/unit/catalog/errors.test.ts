/** SQLite's errors translated in one place: outages become UnavailableError with a path-free reason. */
import Database from 'better-sqlite3';
import { CatalogUnavailableReason, translateSqliteError } from '../../../src/catalog/errors';
import { Dependency, UnavailableError } from '../../../src/errors';

describe('translateSqliteError', () => {
  test.each([
    ['SQLITE_BUSY', CatalogUnavailableReason.locked],
    ['SQLITE_BUSY_SNAPSHOT', CatalogUnavailableReason.locked],
    ['SQLITE_LOCKED', CatalogUnavailableReason.locked],
    ['SQLITE_IOERR', CatalogUnavailableReason.ioError],
    ['SQLITE_IOERR_FSYNC', CatalogUnavailableReason.ioError],
    ['SQLITE_CANTOPEN', CatalogUnavailableReason.cannotOpen],
    ['SQLITE_FULL', CatalogUnavailableReason.diskFull],
    ['SQLITE_READONLY_DBMOVED', CatalogUnavailableReason.readOnly],
    ['SQLITE_CORRUPT', CatalogUnavailableReason.corrupt],
    ['SQLITE_NOTADB', CatalogUnavailableReason.corrupt],
  ])('%s is an outage: %s', (code, reason) => {
    const cause = new Database.SqliteError('unable to open /srv/secret/catalog.db', code);
    const err = translateSqliteError(cause);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({ dependency: Dependency.Catalog, reason, cause });
    expect((err as Error).message).toBe(`Catalog is unavailable: ${reason}`);
  });

  test.each(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_ERROR', 'SQLITE_MISMATCH'])(
    '%s is not an outage and is returned unchanged',
    (code) => {
      const err = new Database.SqliteError('constraint failed', code);
      expect(translateSqliteError(err)).toBe(err);
    },
  );

  test('an error that is not SQLite’s is returned unchanged', () => {
    const err = new TypeError('not a string');
    expect(translateSqliteError(err)).toBe(err);
  });
});
