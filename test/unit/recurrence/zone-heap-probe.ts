/**
 * Child process of zone-cache.test.ts (run with --expose-gc): validates 400 distinct invalid time-zone names of
 * 250 KB each and prints, as one JSON line, the heap before and after (each after a full collection) and the
 * zone cache sizes, so the test can read what the flood left behind.
 */
import { validateRecurrence, resolveTimeZone, zoneCacheSizes } from '../../../src/recurrence';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const collect = gc;

const NOW = new Date('2025-01-04T08:00:00Z');
const NAMES = 400;
const NAME_BYTES = 250 * 1024;

// Warm up every code path first, so the measurement sees what the names leave, not what loading the code costs.
validateRecurrence(
  { frequency: 'daily', interval: 1, time_zone: 'Europe/London', time_of_day: '09:00' },
  { now: NOW },
);
validateRecurrence(
  { frequency: 'daily', interval: 1, time_zone: 'Mars/Base', time_of_day: '09:00' },
  { now: NOW },
);
collect();
const before = process.memoryUsage().heapUsed;
const messages = new Set<string>();
for (let i = 0; i < NAMES; i++) {
  // Each name is a fresh string, as each request's would be.
  const name = `${String(i).padStart(4, '0')}/${'x'.repeat(NAME_BYTES - 5)}`;
  const result = validateRecurrence(
    { frequency: 'daily', interval: 1, time_zone: name, time_of_day: '09:00' },
    { now: NOW },
  );
  if (!result.success) for (const message of result.messages) messages.add(message);
  // The resolver on its own refuses them too, without caching.
  if (resolveTimeZone(name) !== undefined) throw new Error('a 250 KB name resolved');
}
collect();
const after = process.memoryUsage().heapUsed;
process.stdout.write(
  `${JSON.stringify({ before, after, messages: [...messages], caches: zoneCacheSizes() })}\n`,
);
