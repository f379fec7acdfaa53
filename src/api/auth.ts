/**
 * Bearer-token authentication of the HTTP API: the token decides the solution, so no caller can name another
 * solution's schedules (FEATURES.md A10).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost, SettingsError, type Settings } from '../config';
import { Role, type Principal } from '../principal';

/** Bearer token -> the principal it stands for (solution, user, roles). */
export type TokenMap = ReadonlyMap<string, Principal>;

/** Solution of the main job's demo runbook. */
export const DEMO_SOLUTION = 'demo';

/** Bearer token of the demo solution, accepted only when no tokens are configured and only on loopback. */
export const DEMO_TOKEN = 'demo-token';

/** The demo token's principal: the user `demo`, with every role, so every operation can be tried on loopback. */
export const DEMO_PRINCIPAL: Principal = {
  solution: DEMO_SOLUTION,
  user: 'demo',
  roles: [Role.ServiceAdministrator, Role.IntegrationAuthor],
};

/**
 * The API's tokens: the configured ones, else only the demo token, and only on loopback: a fixed token on an
 * address other machines can reach would let anyone in.
 * @throws {@link SettingsError} when no tokens are configured and the API would bind beyond loopback.
 */
export function apiTokensFor(settings: Pick<Settings, 'apiTokens' | 'httpHost'>): TokenMap {
  if (settings.apiTokens) return settings.apiTokens;
  if (!isLoopbackHost(settings.httpHost)) {
    throw new SettingsError(
      `RUNBOOK_SCHEDULER_API_TOKENS is required when the HTTP API binds to ${settings.httpHost} (beyond loopback)`,
    );
  }
  return new Map([[DEMO_TOKEN, DEMO_PRINCIPAL]]);
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * The principal of an `Authorization` header's bearer token, or undefined when there is none or it is unknown.
 *
 * Compares SHA-256 digests in constant time against every configured token (never stopping at a match), so the
 * answer's timing tells nothing about how much of a guess was right, nor which token matched.
 */
export function principalOf(tokens: TokenMap, authorization: string | undefined): Principal | undefined {
  const header = authorization ?? '';
  if (!header.startsWith('Bearer ')) return undefined;
  const wanted = digest(header.slice('Bearer '.length).trim());
  let principal: Principal | undefined;
  for (const [token, tokenPrincipal] of tokens) {
    if (timingSafeEqual(digest(token), wanted)) principal = tokenPrincipal;
  }
  return principal;
}
