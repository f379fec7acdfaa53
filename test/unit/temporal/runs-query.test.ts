/** The visibility query of List Runs: plain values and `'` go to the store; `"` and `\` are filtered locally. */
import { equalityClause, runsQuery } from '../../../src/temporal/runs';

test.each<[string, string | undefined]>([
  ['tenant-42-daily', "RunbookReference = 'tenant-42-daily'"],
  ["it's", "RunbookReference = 'it''s'"],
  ['say "hi"', undefined],
  ['back\\slash', undefined],
])('the clause of %j', (value, clause) => {
  expect(equalityClause('RunbookReference', value)).toBe(clause);
});

test('the query names the workflow type, the solution and the reference', () => {
  expect(runsQuery('acme', "tenant's")).toBe(
    "WorkflowType = 'scheduledRunWorkflow' AND RunbookSolution = 'acme' AND RunbookReference = 'tenant''s'",
  );
});

test('a value the store cannot match exactly is left out of the query', () => {
  expect(runsQuery('acme', 'a "quoted" ref')).toBe(
    "WorkflowType = 'scheduledRunWorkflow' AND RunbookSolution = 'acme'",
  );
});
