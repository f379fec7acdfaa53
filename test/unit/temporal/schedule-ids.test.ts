/**
 * Schedule ids are readable and never shared by two tenants (FEATURES.md A10), generations never collide.
 */
import {
  escapeSolution,
  jobIdPrefix,
  jobWorkflowId,
  needsEscaping,
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

test('job workflow ids escape the solution, so one tenant\'s run is never a "duplicate" of another\'s', () => {
  const runbook = '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54';
  const other = '0b8f2d61-1c3e-4a5b-9d7e-6f5a4b3c2d1e';
  // Solution "acme:<runbook>" with identifier "x" against solution "acme" with identifier "<other>:x".
  expect(jobWorkflowId(`acme:${runbook}`, other, 'x')).not.toBe(jobWorkflowId('acme', runbook, `${other}:x`));
  expect(jobWorkflowId('acme:team', runbook, '42')).toBe(`runbook-job:acme%3Ateam:${runbook}:42`);
  expect(jobWorkflowId('acme', runbook, '42')).toBe(`runbook-job:acme:${runbook}:42`);
  // Runs recorded before escaping replay with the name as it was.
  expect(jobWorkflowId('acme:team', runbook, '42', false)).toBe(`runbook-job:acme:team:${runbook}:42`);
  expect(jobIdPrefix('acme:team')).toBe('runbook-job:acme%3Ateam');
  expect(needsEscaping('acme')).toBe(false);
  expect(needsEscaping('acme:team')).toBe(true);
});
