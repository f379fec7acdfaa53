/** The visibility query of List Runs: plain values and `'` go to the store; `"` and `\` are filtered locally. */
import { instancesQuery } from '../../../src/instances/list';
import { equalityClause, openRunsQuery, runsQuery } from '../../../src/temporal/runs';

test.each<[string, string | undefined]>([
  ['tenant-42-daily', "RunbookReference = 'tenant-42-daily'"],
  ["it's", "RunbookReference = 'it''s'"],
  ['say "hi"', undefined],
  ['back\\slash', undefined],
])('the clause of %j', (value, clause) => {
  expect(equalityClause('RunbookReference', value)).toBe(clause);
});

test('the query names the workflow type and the reference, the narrowest clause the store can match', () => {
  expect(runsQuery('acme', "tenant's")).toBe(
    "WorkflowType = 'scheduledRunWorkflow' AND RunbookReference = 'tenant''s'",
  );
});

test('a reference the store cannot match exactly is narrowed by the solution instead', () => {
  expect(runsQuery('acme', 'a "quoted" ref')).toBe(
    "WorkflowType = 'scheduledRunWorkflow' AND RunbookSolution = 'acme'",
  );
});

test('open runs are those in no closed status, so no index on the status is chosen over the reference', () => {
  expect(runsQuery('acme', 'daily', true)).toBe(
    "WorkflowType = 'scheduledRunWorkflow' AND RunbookReference = 'daily'" +
      " AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'Failed' AND ExecutionStatus != 'Canceled'" +
      " AND ExecutionStatus != 'Terminated' AND ExecutionStatus != 'ContinuedAsNew' AND ExecutionStatus != 'TimedOut'",
  );
});

test('neither value matchable leaves only the workflow type', () => {
  expect(runsQuery('say "hi"', 'a "quoted" ref')).toBe("WorkflowType = 'scheduledRunWorkflow'");
});

test('the instances of a reference are narrowed by the reference alone, like its runs', () => {
  expect(instancesQuery('acme', 'daily')).toBe(
    "(WorkflowType = 'scheduledRunWorkflow' OR WorkflowType = 'abortedOccurrenceWorkflow') AND RunbookReference = 'daily'",
  );
  expect(instancesQuery('acme', 'say "hi"')).toBe(
    "(WorkflowType = 'scheduledRunWorkflow' OR WorkflowType = 'abortedOccurrenceWorkflow') AND RunbookSolution = 'acme'",
  );
});

test('the open runs of several references are one query, each reference once and quoted as in a clause', () => {
  expect(openRunsQuery(['daily', "it's", 'daily', 'say "hi"'])).toBe(
    "WorkflowType = 'scheduledRunWorkflow' AND RunbookReference IN ('daily', 'it''s')" +
      " AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'Failed' AND ExecutionStatus != 'Canceled'" +
      " AND ExecutionStatus != 'Terminated' AND ExecutionStatus != 'ContinuedAsNew' AND ExecutionStatus != 'TimedOut'",
  );
  expect(openRunsQuery(['back\\slash'])).toBeUndefined();
});
