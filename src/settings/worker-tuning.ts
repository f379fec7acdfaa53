/**
 * The scheduler worker's concurrency and memory settings (issue 13, point 2), read from the environment by
 * `loadSettings`. Their defaults were chosen by `bench/fire-precision.bench.ts` at 1,000 aligned minutely
 * schedules on a 2-core machine (figures in `bench/RESULTS.md`); the README's settings table names each variable.
 */
import { SettingsError } from './settings-error';

/** How many tasks the worker runs at once and how many workflows it keeps in memory. */
export interface WorkerTuning {
  /**
   * Activities (HTTP dispatches, re-arms) run at once (`RUNBOOK_SCHEDULER_WORKER_MAX_ACTIVITIES`). A dispatch
   * mostly waits on the network, so this is well above the core count. @default 200
   */
  readonly maxConcurrentActivityTaskExecutions: number;
  /** Workflow tasks run at once (`RUNBOOK_SCHEDULER_WORKER_MAX_WORKFLOW_TASKS`). @default 40 */
  readonly maxConcurrentWorkflowTaskExecutions: number;
  /**
   * Workflows kept in memory between their tasks (`RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS`). The SDK's
   * default grows with the heap limit (about 2,300 on a 4 GB heap) and is what took the worker's RSS to 3.25 GB;
   * a run lives for a few tasks, so a small cache costs little replay. @default 500
   */
  readonly maxCachedWorkflows: number;
  /**
   * How long a workflow task waits on this worker's sticky queue before the server hands it to any worker
   * (`RUNBOOK_SCHEDULER_WORKER_STICKY_TIMEOUT_MS`). @default 10000 (the SDK's)
   */
  readonly stickyQueueScheduleToStartTimeoutMs: number;
  /** Concurrent workflow task polls (`RUNBOOK_SCHEDULER_WORKER_WORKFLOW_POLLERS`). @default 10 */
  readonly maxConcurrentWorkflowTaskPolls: number;
  /** Concurrent activity task polls (`RUNBOOK_SCHEDULER_WORKER_ACTIVITY_POLLERS`). @default 10 */
  readonly maxConcurrentActivityTaskPolls: number;
}

/** The defaults of {@link WorkerTuning}. */
export const DEFAULT_WORKER_TUNING: WorkerTuning = {
  maxConcurrentActivityTaskExecutions: 200,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxCachedWorkflows: 500,
  stickyQueueScheduleToStartTimeoutMs: 10_000,
  maxConcurrentWorkflowTaskPolls: 10,
  maxConcurrentActivityTaskPolls: 10,
};

/** Each setting's variable and its smallest allowed value (the SDK refuses fewer). */
const VARIABLES: Readonly<Record<keyof WorkerTuning, { readonly name: string; readonly min: number }>> = {
  maxConcurrentActivityTaskExecutions: { name: 'RUNBOOK_SCHEDULER_WORKER_MAX_ACTIVITIES', min: 1 },
  maxConcurrentWorkflowTaskExecutions: { name: 'RUNBOOK_SCHEDULER_WORKER_MAX_WORKFLOW_TASKS', min: 2 },
  maxCachedWorkflows: { name: 'RUNBOOK_SCHEDULER_WORKER_MAX_CACHED_WORKFLOWS', min: 2 },
  stickyQueueScheduleToStartTimeoutMs: { name: 'RUNBOOK_SCHEDULER_WORKER_STICKY_TIMEOUT_MS', min: 1000 },
  maxConcurrentWorkflowTaskPolls: { name: 'RUNBOOK_SCHEDULER_WORKER_WORKFLOW_POLLERS', min: 2 },
  maxConcurrentActivityTaskPolls: { name: 'RUNBOOK_SCHEDULER_WORKER_ACTIVITY_POLLERS', min: 1 },
};

/**
 * Reads the worker tuning through `value` (the trimmed variable, or undefined when unset).
 * @throws {@link SettingsError} `<VARIABLE> must be a whole number >= <min>, got "<text>"`, or when the workflow
 * task limit exceeds the cache (the SDK would lower it silently).
 */
export function workerTuningOf(value: (name: string) => string | undefined): WorkerTuning {
  const read = (key: keyof WorkerTuning): number => {
    const { name, min } = VARIABLES[key];
    const text = value(name);
    if (text === undefined) return DEFAULT_WORKER_TUNING[key];
    if (!/^\d+$/.test(text) || Number(text) < min)
      throw new SettingsError(`${name} must be a whole number >= ${min}, got "${text}"`);
    return Number(text);
  };
  const tuning: WorkerTuning = {
    maxConcurrentActivityTaskExecutions: read('maxConcurrentActivityTaskExecutions'),
    maxConcurrentWorkflowTaskExecutions: read('maxConcurrentWorkflowTaskExecutions'),
    maxCachedWorkflows: read('maxCachedWorkflows'),
    stickyQueueScheduleToStartTimeoutMs: read('stickyQueueScheduleToStartTimeoutMs'),
    maxConcurrentWorkflowTaskPolls: read('maxConcurrentWorkflowTaskPolls'),
    maxConcurrentActivityTaskPolls: read('maxConcurrentActivityTaskPolls'),
  };
  if (tuning.maxConcurrentWorkflowTaskExecutions > tuning.maxCachedWorkflows) {
    throw new SettingsError(
      `${VARIABLES.maxConcurrentWorkflowTaskExecutions.name} (${tuning.maxConcurrentWorkflowTaskExecutions}) must not exceed ${VARIABLES.maxCachedWorkflows.name} (${tuning.maxCachedWorkflows})`,
    );
  }
  return tuning;
}

/** The worker options of a tuning, as `Worker.create` takes them. */
export function workerOptionsOf(tuning: WorkerTuning) {
  return {
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: tuning.stickyQueueScheduleToStartTimeoutMs,
    workflowTaskPollerBehavior: {
      type: 'simple-maximum' as const,
      maximum: tuning.maxConcurrentWorkflowTaskPolls,
    },
    activityTaskPollerBehavior: {
      type: 'simple-maximum' as const,
      maximum: tuning.maxConcurrentActivityTaskPolls,
    },
  };
}
