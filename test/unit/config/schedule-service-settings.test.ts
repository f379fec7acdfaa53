import { loadSettings, SettingsError } from '../../../src/config';

test('maximumDelay and the pending-run limit default to 10 days and 1000, and are configurable', () => {
  expect(loadSettings({})).toMatchObject({ maximumDelaySeconds: 864_000, nodePendingLimit: 1000 });
  expect(
    loadSettings({ RUNBOOK_SCHEDULER_MAXIMUM_DELAY: '3600', RUNBOOK_SCHEDULER_NODE_PENDING_LIMIT: '5' }),
  ).toMatchObject({ maximumDelaySeconds: 3600, nodePendingLimit: 5 });
});

test.each([
  ['RUNBOOK_SCHEDULER_MAXIMUM_DELAY', 'soon'],
  ['RUNBOOK_SCHEDULER_NODE_PENDING_LIMIT', '0'],
])('a malformed %s is refused naming it', (name, value) => {
  expect(() => loadSettings({ [name]: value })).toThrow(
    new SettingsError(`${name} must be a number >= 1, got "${value}"`),
  );
});
