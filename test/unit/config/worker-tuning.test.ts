/** The worker's concurrency and cache settings: defaults, overrides, and refused values naming the variable. */
import { loadSettings, SettingsError } from '../../../src/config';
import { DEFAULT_WORKER_TUNING, workerOptionsOf } from '../../../src/settings/worker-tuning';

test('without variables the worker takes the documented defaults', () => {
  expect(loadSettings({}).worker).toEqual(DEFAULT_WORKER_TUNING);
});

test('each variable sets its option, and the options reach Worker.create under the SDK names', () => {
  const { worker } = loadSettings({
    RUNBOOK_SCHEDULER_WORKER_MAX_ACTIVITIES: '300',
    RUNBOOK_SCHEDULER_WORKER_MAX_WORKFLOW_TASKS: '20',
    RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS: '100',
    RUNBOOK_SCHEDULER_WORKER_STICKY_TIMEOUT_MS: '3000',
    RUNBOOK_SCHEDULER_WORKER_WORKFLOW_POLLERS: '4',
    RUNBOOK_SCHEDULER_WORKER_ACTIVITY_POLLERS: '6',
  });
  expect(workerOptionsOf(worker)).toEqual({
    maxConcurrentActivityTaskExecutions: 300,
    maxConcurrentWorkflowTaskExecutions: 20,
    maxCachedWorkflows: 100,
    stickyQueueScheduleToStartTimeout: 3000,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 6 },
  });
});

test.each([
  ['RUNBOOK_SCHEDULER_WORKER_MAX_ACTIVITIES', '0', 'a whole number >= 1, got "0"'],
  ['RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS', '1.5', 'a whole number >= 2, got "1.5"'],
  ['RUNBOOK_SCHEDULER_WORKER_STICKY_TIMEOUT_MS', 'soon', 'a whole number >= 1000, got "soon"'],
  ['RUNBOOK_SCHEDULER_WORKER_WORKFLOW_POLLERS', '1', 'a whole number >= 2, got "1"'],
])('%s=%s is refused', (name, text, message) => {
  expect(() => loadSettings({ [name]: text })).toThrow(new SettingsError(`${name} must be ${message}`));
});

test('more concurrent workflow tasks than cached workflows is refused (the SDK would lower it silently)', () => {
  expect(() =>
    loadSettings({
      RUNBOOK_SCHEDULER_WORKER_MAX_WORKFLOW_TASKS: '50',
      RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS: '10',
    }),
  ).toThrow(
    'RUNBOOK_SCHEDULER_WORKER_MAX_WORKFLOW_TASKS (50) must not exceed RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS (10)',
  );
});
