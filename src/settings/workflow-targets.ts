/** Parser of `RUNBOOK_SCHEDULER_WORKFLOW_TARGETS` (read by `loadSettings`): a leaf, like the other settings parsers. */
import { SettingsError } from './settings-error';

/** Task queues (and optionally workflow types) a solution's runbooks may target, as an operator allowed them. */
export interface WorkflowTargetAllowance {
  readonly taskQueue: string;
  /** Only these workflow types on the queue; absent means any type. */
  readonly workflowTypes?: readonly string[];
}

/** The allowances of `RUNBOOK_SCHEDULER_WORKFLOW_TARGETS`, by solution. @throws {@link SettingsError} naming the entry */
export function workflowTargetsOf(text: string | undefined): Map<string, WorkflowTargetAllowance[]> {
  const name = 'RUNBOOK_SCHEDULER_WORKFLOW_TARGETS';
  const targets = new Map<string, WorkflowTargetAllowance[]>();
  if (text === undefined) return targets;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SettingsError(`${name} must be JSON: {"<solution>": [{"taskQueue": "<queue>"}]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError(
      `${name} must be a JSON object of solution -> list of {taskQueue, workflowTypes?}`,
    );
  }
  for (const [solution, list] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new SettingsError(`${name}: the entry of "${solution}" must be a list`);
    const allowances = list.map((item: unknown, i): WorkflowTargetAllowance => {
      const where = `${name}: "${solution}" entry ${i + 1}`;
      const entry = item as { taskQueue?: unknown; workflowTypes?: unknown } | null;
      if (typeof entry?.taskQueue !== 'string' || entry.taskQueue.trim() === '') {
        throw new SettingsError(`${where} needs a taskQueue`);
      }
      const types = entry.workflowTypes;
      if (types !== undefined && !(Array.isArray(types) && types.every((t) => typeof t === 'string' && t))) {
        throw new SettingsError(`${where}: workflowTypes must be a list of names`);
      }
      return { taskQueue: entry.taskQueue, ...(types ? { workflowTypes: types as string[] } : {}) };
    });
    targets.set(solution, allowances);
  }
  return targets;
}
