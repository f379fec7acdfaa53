/**
 * The runs of a workspace schedule, read from Temporal's visibility store with each job's outcome (the memo the
 * run publishes), scoped to one solution.
 */
import type { Client } from '@temporalio/client';
import { equalityClause, scopeClause } from '../temporal/runs';
import { REFERENCE, SOLUTION } from '../temporal/search-attributes';
import { translating } from '../temporal/temporal-errors';
import { WORKSPACE_RUN_WORKFLOW, type JobOutcome } from './run-input';

/** One run of a workspace schedule as the APIs show it. */
export interface WorkspaceRunView {
  readonly workflow_id: string;
  readonly run_id: string;
  /** `Running`, `Succeeded`, `Errored` (a job failed), `Cancelled`, `Terminated`, `TimedOut`. */
  readonly state: string;
  readonly started_at: string;
  readonly closed_at: string | null;
  /** Every job's outcome so far, as the run published it. */
  readonly jobs: JobOutcome[];
}

const RUN_STATES: Readonly<Record<string, string>> = {
  RUNNING: 'Running',
  COMPLETED: 'Succeeded',
  FAILED: 'Errored',
  CANCELLED: 'Cancelled',
  TERMINATED: 'Terminated',
  TIMED_OUT: 'TimedOut',
  CONTINUED_AS_NEW: 'Succeeded',
};

/** The most recent runs of a key in a solution, newest first, with each job's outcome. */
export async function listWorkspaceRuns(
  client: Client,
  solution: string,
  key: string,
  limit: number,
): Promise<WorkspaceRunView[]> {
  const query = [equalityClause('WorkflowType', WORKSPACE_RUN_WORKFLOW), scopeClause(solution, key)]
    .filter(Boolean)
    .join(' AND ');
  return await translating('', async () => {
    const runs: WorkspaceRunView[] = [];
    for await (const run of client.workflow.list({ query })) {
      if (run.searchAttributes[SOLUTION.name]?.[0] !== solution) continue;
      if (run.searchAttributes[REFERENCE.name]?.[0] !== key) continue;
      runs.push({
        workflow_id: run.workflowId,
        run_id: run.runId,
        state: RUN_STATES[run.status.name] ?? run.status.name,
        started_at: run.startTime.toISOString(),
        closed_at: run.closeTime?.toISOString() ?? null,
        jobs: (run.memo as { jobs?: JobOutcome[] } | undefined)?.jobs ?? [],
      });
      if (runs.length >= limit) break;
    }
    return runs;
  });
}
