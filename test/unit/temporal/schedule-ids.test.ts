/**
 * Schedule ids are readable and never shared by two tenants (FEATURES.md A10), generations never collide.
 */
import {
  escapeSolution,
  newGeneration,
  SCHEDULE_ID_PREFIX,
  scheduleIdFor,
} from '../../../src/temporal/schedule-ids';

test('a schedule id is rbs:<solution>:<reference>', () => {
  expect(scheduleIdFor('acme', 'tenant-42-daily')).toBe(`${SCHEDULE_ID_PREFIX}:acme:tenant-42-daily`);
});

test('":" and "%" in a solution are escaped, so no two solution/reference pairs share an id', () => {
  expect(scheduleIdFor('acme', 'team:nightly')).not.toBe(scheduleIdFor('acme:team', 'nightly'));
  expect(scheduleIdFor('acme:team', 'nightly')).toBe('rbs:acme%3Ateam:nightly');
  expect(escapeSolution('50%:x')).toBe('50%25%3Ax');
  // Escaping is injective: the escaped "%3A" cannot come from a literal "%3A" either.
  expect(scheduleIdFor('a%3A', 'b')).not.toBe(scheduleIdFor('a:', 'b'));
});

test('a generation is the creation instant to the second plus randomness', () => {
  expect(newGeneration(new Date('2026-04-29T16:55:50.123Z'), 'abcd1234')).toBe('20260429T165550Z-abcd1234');
  const now = new Date('2026-04-29T16:55:50Z');
  expect(newGeneration(now)).toMatch(/^20260429T165550Z-[0-9a-f]{8}$/);
  expect(newGeneration(now)).not.toBe(newGeneration(now));
});
