/**
 * The per-token rate limit: a burst of the minute's allowance, then the allowed pace, each token on its own.
 */
import { RateLimiter } from '../../../src/api/rate-limit';

test('a token may burst its allowance, then waits for the bucket to refill', () => {
  let now = 0;
  const limiter = new RateLimiter(3, () => now);
  expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
  expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
  // Another token has its own bucket.
  expect(limiter.take('b').allowed).toBe(true);
  now += 20_000;
  expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.take('a').allowed).toBe(false);
  now += 10 * 60_000;
  expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
});

test('a limit below one per minute is a programming error', () => {
  expect(() => new RateLimiter(0)).toThrow(RangeError);
});
