/** RUNBOOK_SCHEDULER_DATABASE_URL: read by the settings, checked, and never repeated in an error. */
import { loadSettings, SettingsError } from '../../../src/config';

describe('RUNBOOK_SCHEDULER_DATABASE_URL', () => {
  test('unset: no database URL, the catalog stays in the data directory', () => {
    expect(loadSettings({}).databaseUrl).toBeUndefined();
    expect(loadSettings({ RUNBOOK_SCHEDULER_DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  test.each([
    'postgresql://scheduler:s3cret@db.internal:5432/runbooks',
    'postgres://scheduler@db.internal/runbooks?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem',
    'postgresql:///runbooks?host=/var/run/postgresql',
  ])('%s is taken as given', (url) => {
    expect(loadSettings({ RUNBOOK_SCHEDULER_DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  test('a value that is not a URL is refused without repeating it (it may hold a password)', () => {
    const load = () =>
      loadSettings({ RUNBOOK_SCHEDULER_DATABASE_URL: 'scheduler hunter2@db.internal/runbooks' });
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(
      'RUNBOOK_SCHEDULER_DATABASE_URL must be a URL such as postgresql://user:password@host:5432/database',
    );
  });

  test('another scheme is refused, naming the scheme only', () => {
    const load = () => loadSettings({ RUNBOOK_SCHEDULER_DATABASE_URL: 'mysql://root:hunter2@db/runbooks' });
    expect(load).toThrow('RUNBOOK_SCHEDULER_DATABASE_URL must be a postgresql:// URL, got scheme "mysql:"');
  });
});
