/**
 * Who calls: the principal an API token (or the CLI's settings) stands for. A leaf of the product, like the
 * settings module that parses tokens into principals: it imports nothing and does no I/O.
 */

/** Roles a principal may hold (FEATURES.md B8, C4). */
export const Role = {
  /** May act as another user: change the submitting user when starting a schedule. */
  ServiceAdministrator: 'ServiceAdministrator',
  /** May add, edit and delete a workspace's schedules. */
  IntegrationAuthor: 'IntegrationAuthor',
} as const;
/** A role. */
export type Role = (typeof Role)[keyof typeof Role];

/** Every role, in a stable order (for messages and docs). */
export const ROLES: readonly Role[] = Object.values(Role);

/** The caller of an operation: its solution (tenant), its user name and its roles. */
export interface Principal {
  /** Solution (tenant) whose data the caller reaches; decided by the token, never by a request. */
  readonly solution: string;
  /** User name runs execute as and operations are recorded under (the submitting user). */
  readonly user: string;
  /** The caller's roles. */
  readonly roles: readonly Role[];
}

/** User of a token configured as plain `token=solution`, without a user. */
export const DEFAULT_API_USER = 'api';

/** Longest user name a token or setting may give. */
export const MAX_USER_LENGTH = 128;

/** True when the principal holds the role. */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}

/** True when the text is a valid user name: 1 to {@link MAX_USER_LENGTH} printable characters, no spaces at the ends. */
export function isValidUser(text: string): boolean {
  return (
    text.length > 0 &&
    text.length <= MAX_USER_LENGTH &&
    text.trim() === text &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(text)
  );
}

/** The roles of a `Role+Role` list, or the first unknown name. */
export function parseRoles(text: string): { roles: Role[] } | { unknown: string } {
  const roles: Role[] = [];
  for (const name of text
    .split('+')
    .map((r) => r.trim())
    .filter(Boolean)) {
    const role = ROLES.find((r) => r === name);
    if (!role) return { unknown: name };
    if (!roles.includes(role)) roles.push(role);
  }
  return { roles };
}
