/**
 * The pause before a read-modify-write of a schedule tries again after a concurrent change won: a random wait
 * ("full jitter") under a ceiling that doubles with each lost attempt. Writers racing on one schedule (an Update
 * Schedule against the re-arms of several workers) then spread out instead of colliding again at once. A server
 * that refuses a stale conflict token at once (Temporal's CHASM scheduler) answers in a millisecond, so without
 * the pause a few writers in a tight loop can beat one for every attempt it has.
 */

/** The ceiling of the first pause, in milliseconds. */
export const WRITE_BACKOFF_BASE_MS = 20;

/** The largest ceiling, in milliseconds. */
export const WRITE_BACKOFF_CAP_MS = 1000;

/** The longest pause after lost attempt number `attempt` (1 for the first): base × 2^(attempt − 1), capped. */
export function writeBackoffCeilingMs(attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(WRITE_BACKOFF_CAP_MS, WRITE_BACKOFF_BASE_MS * 2 ** exponent);
}

/** Waits a random time under {@link writeBackoffCeilingMs} of `attempt`. */
export async function pauseAfterLostWrite(
  attempt: number,
  random: () => number = Math.random,
): Promise<void> {
  const ms = Math.floor(random() * writeBackoffCeilingMs(attempt));
  await new Promise((resolve) => setTimeout(resolve, ms));
}
