/**
 * Bearer-token authentication of the HTTP API: the token decides the solution, so no caller can name another
 * solution's schedules (FEATURES.md A10).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Bearer token -> solution. */
export type TokenMap = ReadonlyMap<string, string>;

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
