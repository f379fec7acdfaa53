/**
 * Bearer-token authentication of the HTTP API: the token decides the solution, so no caller can name another
 * solution's schedules (FEATURES.md A10).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost, SettingsError, type Settings } from '../config';

/** Bearer token -> solution. */
export type TokenMap = ReadonlyMap<string, string>;

/** Solution of the main job's demo runbook. */
export const DEMO_SOLUTION = 'demo';

/** Bearer token of the demo solution, accepted only when no tokens are configured and only on loopback. */
export const DEMO_TOKEN = 'demo-token';

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
  return new Map([[DEMO_TOKEN, DEMO_SOLUTION]]);
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * The solution of an `Authorization` header's bearer token, or undefined when there is none or it is unknown.
 *
 * Compares SHA-256 digests in constant time against every configured token (never stopping at a match), so the
 * answer's timing tells nothing about how much of a guess was right, nor which token matched.
 */
export function solutionOf(tokens: TokenMap, authorization: string | undefined): string | undefined {
  const header = authorization ?? '';
  if (!header.startsWith('Bearer ')) return undefined;
  const wanted = digest(header.slice('Bearer '.length).trim());
  let solution: string | undefined;
  for (const [token, tokenSolution] of tokens) {
    if (timingSafeEqual(digest(token), wanted)) solution = tokenSolution;
  }
  return solution;
}
