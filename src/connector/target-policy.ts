/**
 * Where a tenant's runbook may send its fires (pure): a workflow target only on a task queue (and of a workflow
 * type) an operator allowed for the solution, never the product's own queue or workflow types; an HTTP target
 * only to a URL the egress policy accepts at registration (the dispatch checks every resolved address again).
 */
import type { DispatchTarget } from '../catalog/model';
import type { WorkflowTargetAllowance } from '../config';
import { WorkflowType } from '../temporal/run-input';

/** What {@link targetRefusal} checks a target against. */
export interface TargetPolicy {
  /** Per solution, the task queues (and workflow types) its runbooks may target. */
  readonly workflowTargets: ReadonlyMap<string, readonly WorkflowTargetAllowance[]>;
  /** The scheduler's own task queue: never a target. */
  readonly productTaskQueue: string;
  /** Why an HTTP target's URL is refused at registration (credentials, a literal internal address), if it is. */
  readonly urlRefusal?: (url: string) => string | undefined;
}

/** The product's own workflow types: never a target, on any queue. */
export const PRODUCT_WORKFLOW_TYPES: readonly string[] = Object.values(WorkflowType);

/** Exact messages of refused targets; each names `target`. */
export const TargetMessages = {
  productQueue: (queue: string) =>
    `Target taskQueue "${queue}" is the scheduler's own and cannot be targeted`,
  productType: (type: string) =>
    `Target workflowType "${type}" is the scheduler's own and cannot be targeted`,
  queueNotAllowed: (queue: string) => `Target taskQueue "${queue}" is not allowed for this solution`,
  typeNotAllowed: (type: string, queue: string) =>
    `Target workflowType "${type}" is not allowed on task queue "${queue}" for this solution`,
} as const;

/** The allowlist key that applies to every solution. */
export const EVERY_SOLUTION = '*';

/** An allowed queue name matches itself; one ending in `*` matches every queue it begins. */
function queueMatches(allowed: string, queue: string): boolean {
  return allowed.endsWith('*') ? queue.startsWith(allowed.slice(0, -1)) : allowed === queue;
}

/** The message refusing a solution's target, or undefined when the policy allows it. */
export function targetRefusal(
  solution: string,
  target: DispatchTarget,
  policy: TargetPolicy,
): string | undefined {
  if (target.kind === 'http') return policy.urlRefusal?.(target.url);
  if (target.taskQueue === policy.productTaskQueue) return TargetMessages.productQueue(target.taskQueue);
  if (PRODUCT_WORKFLOW_TYPES.includes(target.workflowType))
    return TargetMessages.productType(target.workflowType);
  const allowances = [
    ...(policy.workflowTargets.get(solution) ?? []),
    ...(policy.workflowTargets.get(EVERY_SOLUTION) ?? []),
  ].filter((a) => queueMatches(a.taskQueue, target.taskQueue));
  if (allowances.length === 0) return TargetMessages.queueNotAllowed(target.taskQueue);
  if (
    allowances.some((a) => a.workflowTypes === undefined || a.workflowTypes.includes(target.workflowType))
  ) {
    return undefined;
  }
  return TargetMessages.typeNotAllowed(target.workflowType, target.taskQueue);
}
