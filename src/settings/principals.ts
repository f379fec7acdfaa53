/**
 * Principals of the settings: the HTTP API's tokens (`RUNBOOK_SCHEDULER_API_TOKENS`) and the CLI's user and
 * roles. Pure parsing of text the settings module read; a leaf like it.
 */
import { DEFAULT_API_USER, isValidUser, parseRoles, ROLES, type Principal, type Role } from '../principal';
import { SettingsError } from './settings-error';

/**
 * Parses `RUNBOOK_SCHEDULER_API_TOKENS`: comma-separated `token=solution[:user[:Role+Role]]` entries. A token
 * without a user stands for the user `api` with no roles.
 * @throws {@link SettingsError} naming the malformed entry by position (a token is a secret, never quoted).
 */
export function parseTokens(text: string): Map<string, Principal> {
  const name = 'RUNBOOK_SCHEDULER_API_TOKENS';
  const tokens = new Map<string, Principal>();
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const at = entry.indexOf('=');
    const [solution = '', user = DEFAULT_API_USER, roleText = '', ...rest] = entry.slice(at + 1).split(':');
    if (at <= 0 || !solution || rest.length > 0) {
      throw new SettingsError(`${name} entry ${index + 1} must be token=solution[:user[:Role+Role]]`);
    }
    if (!isValidUser(user)) {
      throw new SettingsError(`${name} entry ${index + 1} has an invalid user name`);
    }
    const roles = parseRoles(roleText);
    if ('unknown' in roles) {
      throw new SettingsError(
        `${name} entry ${index + 1} names an unknown role "${roles.unknown}" (roles: ${ROLES.join(', ')})`,
      );
    }
    tokens.set(entry.slice(0, at), { solution, user, roles: roles.roles });
  });
  return tokens;
}

/** Default user of the CLI when `RUNBOOK_SCHEDULER_USER` is unset. */
export const DEFAULT_CLI_USER = 'cli';

/** The CLI's user from `RUNBOOK_SCHEDULER_USER`. @throws {@link SettingsError} when it is not a valid user name. */
export function cliUserOf(text: string | undefined): string {
  if (text === undefined) return DEFAULT_CLI_USER;
  if (!isValidUser(text))
    throw new SettingsError('RUNBOOK_SCHEDULER_USER must be 1 to 128 printable characters');
  return text;
}

/** The CLI's roles from `RUNBOOK_SCHEDULER_ROLES`. @throws {@link SettingsError} naming an unknown role. */
export function cliRolesOf(text: string | undefined): Role[] {
  const roles = parseRoles(text ?? '');
  if ('unknown' in roles) {
    throw new SettingsError(
      `RUNBOOK_SCHEDULER_ROLES names an unknown role "${roles.unknown}" (roles: ${ROLES.join(', ')})`,
    );
  }
  return roles.roles;
}
