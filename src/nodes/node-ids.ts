/**
 * The id of a schedule node's workflow (pure): one per node of a solution, readable in the Web UI, never shared
 * by two solutions (the solution escaped as schedule ids escape it) and apart from every schedule and run id.
 */
import { escapeSolution } from '../temporal/schedule-ids';

/** Prefix of every node workflow id. */
export const NODE_WORKFLOW_ID_PREFIX = 'rbs-node';

/** `rbs-node:<solution>:<node identifier>`, the solution escaped (see `escapeSolution`). */
export function nodeWorkflowId(solution: string, identifier: string): string {
  return `${NODE_WORKFLOW_ID_PREFIX}:${escapeSolution(solution)}:${identifier}`;
}
