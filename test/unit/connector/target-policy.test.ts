/**
 * Workflow targets only where an operator allowed them (issue 9, item 1): never the scheduler's own queue or
 * workflow types, and another tenant's queue only when the allowlist says so.
 */
import { WorkflowType } from '../../../src/temporal/run-input';
import {
  EVERY_SOLUTION,
  targetRefusal,
  TargetMessages,
  type TargetPolicy,
} from '../../../src/connector/target-policy';

const policy: TargetPolicy = {
  productTaskQueue: 'runbook-scheduler',
  workflowTargets: new Map([
    ['acme', [{ taskQueue: 'acme-runbooks' }, { taskQueue: 'shared', workflowTypes: ['deploy'] }]],
    [EVERY_SOLUTION, [{ taskQueue: 'public-*' }]],
  ]),
};

const workflow = (taskQueue: string, workflowType = 'deploy') => ({
  kind: 'workflow' as const,
  taskQueue,
  workflowType,
});

test("the scheduler's own queue and workflow types are never a target, whatever the allowlist", () => {
  expect(targetRefusal('acme', workflow('runbook-scheduler'), policy)).toBe(
    'Target taskQueue "runbook-scheduler" is the scheduler\'s own and cannot be targeted',
  );
  for (const type of [WorkflowType.Sweep, WorkflowType.ScheduledRun, WorkflowType.HttpDispatch]) {
    expect(targetRefusal('acme', workflow('acme-runbooks', type), policy)).toBe(
      TargetMessages.productType(type),
    );
  }
});

test('a queue the solution was not given is refused, naming it', () => {
  expect(targetRefusal('globex', workflow('acme-runbooks'), policy)).toBe(
    'Target taskQueue "acme-runbooks" is not allowed for this solution',
  );
  expect(targetRefusal('acme', workflow('elsewhere'), policy)).toBe(
    TargetMessages.queueNotAllowed('elsewhere'),
  );
});

test('allowed queues, with or without a list of workflow types, and the every-solution wildcard', () => {
  expect(targetRefusal('acme', workflow('acme-runbooks', 'anything'), policy)).toBeUndefined();
  expect(targetRefusal('acme', workflow('shared', 'deploy'), policy)).toBeUndefined();
  expect(targetRefusal('acme', workflow('shared', 'drop-tables'), policy)).toBe(
    'Target workflowType "drop-tables" is not allowed on task queue "shared" for this solution',
  );
  expect(targetRefusal('globex', workflow('public-reports'), policy)).toBeUndefined();
  expect(targetRefusal('globex', workflow('publicity'), policy)).toBe(
    TargetMessages.queueNotAllowed('publicity'),
  );
});

test('no allowlist: no workflow targets at all; HTTP targets go to the URL check', () => {
  const none: TargetPolicy = { productTaskQueue: 'runbook-scheduler', workflowTargets: new Map() };
  expect(targetRefusal('acme', workflow('acme-runbooks'), none)).toBe(
    TargetMessages.queueNotAllowed('acme-runbooks'),
  );
  const http = { kind: 'http' as const, url: 'https://runbooks.example/hook' };
  expect(targetRefusal('acme', http, none)).toBeUndefined();
  expect(targetRefusal('acme', http, { ...none, urlRefusal: () => 'Target url is refused' })).toBe(
    'Target url is refused',
  );
});
