/**
 * Errors every interface reports the same way, whatever operation raised them. The HTTP API answers them with
 * 503, the CLI with exit status 1: an outage is never reported as invalid input, and nothing was changed.
 */

/** What the product depends on and can find unavailable. */
export const Dependency = {
  Temporal: 'Temporal',
  Catalog: 'Catalog',
} as const;
/** What the product depends on. */
export type Dependency = (typeof Dependency)[keyof typeof Dependency];

/**
 * Temporal (or the catalog) did not answer, or answered that it cannot serve now. The message is exact:
 * `Temporal is unavailable: <cause>`; the cause never names an internal address.
 */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  constructor(
    readonly dependency: Dependency,
    /** Why, in a few words (`the server did not answer`, `deadline exceeded`). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable: ${reason}`, options);
  }
}
