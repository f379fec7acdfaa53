/**
 * The runs of a schedule reference, read from Temporal's visibility store: every fire is a workflow run tagged
 * with the solution, reference and generation, so past runs stay inspectable after a Delete Schedule
 * (FEATURES.md A9), across generations, scoped to one solution (A10).
 */
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { formatUtcSeconds } from '../dispatch/payload';
import { WorkflowType } from './run-input';
import {
  DISPATCH_STATUS,
  GENERATION,
  JOB_CONTEXT,
  REFERENCE,
  SCHEDULED_START_TIME,
  SOLUTION,
} from './search-attributes';

/** One run of a schedule, as callers see it. */
export interface RunView {
  readonly workflow_id: string;
  readonly run_id: string;
  /** The schedule generation that fired it (a re-created reference starts a new one). */
  readonly generation: string | null;
  /** The occurrence instant, `YYYY-MM-DDTHH:MM:SSZ` (the trigger instant for a manual fire). */
  readonly triggered_at: string;
  /** Temporal's execution status: `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TERMINATED`, `TIMED_OUT`. */
  readonly status: string;
  /** `succeeded`, `failed`, `duplicate` or `cancelled` once the dispatch ended; null while it runs. */
  readonly dispatch_status: string | null;
  readonly job_context_identifier: string | null;
  readonly started_at: string;
  readonly closed_at: string | null;
  readonly duration_ms: number | null;
}

/**
 * An equality clause of Temporal's visibility query language, or undefined when the value holds `"` or `\`:
 * stores disagree on escaping those (on the dev server's SQLite no escaping of `"` matches at all), so such a
 * value is not put in the query and the runs are filtered here instead. `'` is doubled, as in standard SQL.
 */
export function equalityClause(attribute: string, value: string): string | undefined {
  const quoted = quotedValue(value);
  return quoted === undefined ? undefined : `${attribute} = ${quoted}`;
}

/** A value as a query's string literal (see {@link equalityClause}), or undefined when it cannot be one. */
function quotedValue(value: string): string | undefined {
  if (/["\\]/.test(value)) return undefined;
  return `'${value.replace(/'/g, "''")}'`;
}

/** The execution statuses of a run that has ended: a run in none of them is still open. */
const CLOSED_STATUSES = [
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
  'ContinuedAsNew',
  'TimedOut',
] as const;

/**
 * The one clause that narrows a query for the executions of a reference (or key) in a solution: the reference's,
 * or the solution's when the reference cannot be put in a query (see {@link equalityClause}); undefined when
 * neither can. The caller checks the solution and reference of every execution it reads. Only one is named
 * because the dev server's SQLite (which has no statistics) picks one index by its own order, not by
 * selectivity: naming the solution too made it read every schedule of the solution for a reference that has a
 * handful of runs.
 */
export function scopeClause(solution: string, reference: string): string | undefined {
  return equalityClause(REFERENCE.name, reference) ?? equalityClause(SOLUTION.name, solution);
}

/**
 * The visibility query of the runs of one reference in one solution ({@link scopeClause}), optionally only those
 * still open. Open runs are asked for as not in a closed status, a filter no index serves: with
 * `ExecutionStatus = 'Running'` the dev server's SQLite chose the status's index and read every open execution
 * of the namespace, every schedule among them (19 ms against 3 ms for 2,000 schedules, and growing with them).
 */
export function runsQuery(solution: string, reference: string, openOnly = false): string {
  return [
    equalityClause('WorkflowType', WorkflowType.ScheduledRun),
    scopeClause(solution, reference),
    ...(openOnly ? CLOSED_STATUSES.map((status) => `ExecutionStatus != '${status}'`) : []),
  ]
    .filter((clause) => clause !== undefined)
    .join(' AND ');
}

function viewOf(info: WorkflowExecutionInfo): RunView {
  const attributes = info.typedSearchAttributes;
  const triggered = attributes.get(SCHEDULED_START_TIME) ?? info.startTime;
  return {
    workflow_id: info.workflowId,
    run_id: info.runId,
    generation: attributes.get(GENERATION) ?? null,
    triggered_at: formatUtcSeconds(triggered),
    status: info.status.name,
    dispatch_status: attributes.get(DISPATCH_STATUS) ?? null,
    job_context_identifier: attributes.get(JOB_CONTEXT) ?? null,
    started_at: info.startTime.toISOString(),
    closed_at: info.closeTime?.toISOString() ?? null,
    duration_ms: info.closeTime ? info.closeTime.getTime() - info.startTime.getTime() : null,
  };
}

/**
 * The most recent runs of a reference in a solution, newest first, including those of deleted schedules and
 * earlier generations. Visibility is eventually consistent: a run started a moment ago may be missing. A
 * solution and reference that both hold `"` or `\\` are matched here rather than by the store, which scans every
 * run of the product until `limit` are found.
 */
export async function listRuns(
  client: Client,
  solution: string,
  reference: string,
  limit: number,
): Promise<RunView[]> {
  const runs: RunView[] = [];
  for await (const info of client.workflow.list({ query: runsQuery(solution, reference), pageSize: limit })) {
    // Checked here too: a clause may be left out of the query, and tenancy must not hang on query escaping.
    const attributes = info.typedSearchAttributes;
    if (attributes.get(SOLUTION) !== solution || attributes.get(REFERENCE) !== reference) continue;
    runs.push(viewOf(info));
    if (runs.length >= limit) break;
  }
  return runs.sort((a, b) => b.started_at.localeCompare(a.started_at));
}

/** A reference in a solution: whose runs a query is about. */
export interface RunScope {
  readonly solution: string;
  readonly reference: string;
}

/**
 * The visibility query of the open runs of several references at once (`RunbookReference IN (...)`, each value
 * quoted as {@link equalityClause} quotes it), or undefined when none of them can be put in a query.
 */
export function openRunsQuery(references: readonly string[]): string | undefined {
  const values = [...new Set(references)].flatMap((reference) => quotedValue(reference) ?? []);
  if (values.length === 0) return undefined;
  return [
    equalityClause('WorkflowType', WorkflowType.ScheduledRun),
    `${REFERENCE.name} IN (${values.join(', ')})`,
    ...CLOSED_STATUSES.map((status) => `ExecutionStatus != '${status}'`),
  ].join(' AND ');
}

/**
 * The runs still running of each scope, in the scopes' order: one visibility query for every reference that can
 * be put in one ({@link openRunsQuery}), one query each for the others ({@link runsQuery}). Each run is checked
 * against its scope's solution and reference, so references shared by two solutions never mix.
 */
export async function openRunsOf(
  client: Client,
  scopes: readonly RunScope[],
): Promise<WorkflowExecutionInfo[][]> {
  const list = async (query: string) => {
    const infos: WorkflowExecutionInfo[] = [];
    for await (const info of client.workflow.list({ query })) infos.push(info);
    return infos;
  };
  const batchQuery = openRunsQuery(scopes.map((scope) => scope.reference));
  const batched = batchQuery === undefined ? [] : await list(batchQuery);
  return await Promise.all(
    scopes.map(async (scope) => {
      const inBatch = quotedValue(scope.reference) !== undefined;
      const found = inBatch ? batched : await list(runsQuery(scope.solution, scope.reference, true));
      return found.filter((info) => {
        const attributes = info.typedSearchAttributes;
        return (
          attributes.get(SOLUTION) === scope.solution &&
          attributes.get(REFERENCE) === scope.reference &&
          info.status.name === 'RUNNING'
        );
      });
    }),
  );
}

/**
 * Cancels the given runs, so a deleted schedule sends nothing more; each cancelled run ends `cancelled`, its
 * history kept. @returns how many were asked to cancel (a run that ended meanwhile is not counted).
 */
export async function cancelRuns(client: Client, runs: readonly WorkflowExecutionInfo[]): Promise<number> {
  let cancelled = 0;
  for (const info of runs) {
    try {
      await client.workflow.getHandle(info.workflowId, info.runId).cancel();
      cancelled++;
    } catch (err) {
      // It ended between the listing and the cancel: nothing left to stop.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return cancelled;
}
