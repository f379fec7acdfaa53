/**
 * The per-token rate limit of the HTTP API: a token bucket per bearer token, refilled continuously, so a caller
 * may burst up to its minute's allowance and then goes at the allowed pace. Pure apart from the clock it is
 * given; bounded by the number of configured tokens (only authenticated tokens are counted).
 */

/** The verdict of {@link RateLimiter.take}. */
export type RateVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** Whole seconds until one more request is allowed. */ readonly retryAfterSeconds: number;
    };

/** Token buckets keyed by bearer token. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** Requests allowed per minute and token (also the burst). */
    readonly perMinute: number,
    /** The clock, in milliseconds. @default `Date.now` */
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isFinite(perMinute) || perMinute < 1) throw new RangeError('perMinute must be at least 1');
  }

  /** Counts one request of `key`; refused when its bucket is empty. */
  take(key: string): RateVerdict {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    const refilled = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      const waitMs = ((1 - refilled) * 60_000) / this.perMinute;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    return { allowed: true };
  }
}
