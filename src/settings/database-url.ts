/** The catalog's PostgreSQL URL setting: pure checking of text the settings module read; a leaf like it. */
import { SettingsError } from './settings-error';

/**
 * Checks the catalog's database URL (`RUNBOOK_SCHEDULER_DATABASE_URL`, read by the settings module).
 * @throws {@link SettingsError} that never repeats the URL, which holds a password.
 */
export function databaseUrlOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const name = 'RUNBOOK_SCHEDULER_DATABASE_URL';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SettingsError(`${name} must be a URL such as postgresql://user:password@host:5432/database`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new SettingsError(`${name} must be a postgresql:// URL, got scheme "${url.protocol.slice(0, 20)}"`);
  }
  return text;
}
