/**
 * What a workspace schedule is in Temporal (pure): its id, memo, search attributes (the existing
 * `RunbookSolution` and `RunbookReference`, no new one), options and state, and the decoding of a description.
 * The gateway only sends and receives these.
 */
import { ScheduleOverlapPolicy, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { NoOccurrenceReason } from '../recurrence';
import type { CompiledSchedule } from '../temporal/compile';
import { escapeSolution } from '../temporal/schedule-ids';
import { CATCHUP_WINDOW_MS, stateNote } from '../temporal/schedule-options';
import { REFERENCE, SOLUTION } from '../temporal/search-attributes';
import { memoRecordOf, type MemoRecord } from './generation-restore';
import { WORKSPACE_RUN_WORKFLOW, type WorkspaceRunInput, type WorkspaceScheduleRecord } from './run-input';

/** The memo marker of workspace schedules (the connector's schedules carry `runbook-scheduler`). */
export const WORKSPACE_PRODUCT = 'runbook-scheduler-workspace';

/** Prefix of workspace schedule ids: `rbw:<solution>:<key>`. */
export const WORKSPACE_ID_PREFIX = 'rbw';

/** The note of a schedule inactivated through the product. */
export const INACTIVE_NOTE = 'Inactive';

/** Immutable facts of a workspace schedule, in its memo. */
export interface WorkspaceMemo {
  readonly product: typeof WORKSPACE_PRODUCT;
  readonly solution: string;
  readonly key: string;
  readonly generation: string;
  /** The integration that manages it, or null for a workspace (unmanaged) schedule. */
  readonly integration: string | null;
  readonly createdAt: string;
  /**
   * The record as created, to restore when a stale write of a deleted generation overwrites it
   * (`generation-restore.ts`); absent for a record past `MEMO_RECORD_MAX_BYTES` and for schedules created
   * before the memo kept it.
   */
  readonly createdWith?: MemoRecord;
}

/** A workspace schedule as stored in Temporal, decoded. */
export interface StoredWorkspaceSchedule {
  readonly scheduleId: string;
  readonly memo: WorkspaceMemo;
  readonly input: WorkspaceScheduleRecord;
  readonly paused: boolean;
  readonly note: string | undefined;
  readonly nextActionTimes: Date[];
  readonly description: ScheduleDescription;
}

/** Schedule id of a key in a solution (the solution escaped as in the connector's ids). */
export function workspaceScheduleId(solution: string, key: string): string {
  return `${WORKSPACE_ID_PREFIX}:${escapeSolution(solution)}:${key}`;
}

/** Key of a managed schedule: `<integration>~<schedule id>` (`~` is in no caller-chosen key). */
export function managedKey(integration: string, scheduleId: string): string {
  return `${integration}~${scheduleId}`;
}

/** The memo of a new schedule. */
export function workspaceMemo(input: WorkspaceScheduleRecord, now: Date): WorkspaceMemo {
  const createdWith = memoRecordOf(input);
  return {
    product: WORKSPACE_PRODUCT,
    solution: input.solution,
    key: input.key,
    generation: input.generation,
    integration: input.managed?.integration ?? null,
    createdAt: now.toISOString(),
    ...(createdWith ? { createdWith } : {}),
  };
}

/** Search attributes of a workspace schedule and of its runs. */
export function workspaceSearchAttributes(input: WorkspaceRunInput): SearchAttributePair[] {
  return [
    { key: SOLUTION, value: input.solution },
    { key: REFERENCE, value: input.key },
  ];
}

/** True when a memo is a workspace schedule's. */
export function isWorkspaceMemo(memo: unknown): memo is WorkspaceMemo {
  return (
    typeof memo === 'object' && memo !== null && (memo as { product?: unknown }).product === WORKSPACE_PRODUCT
  );
}

/** Notes the product writes on a paused schedule: anything else is an operator's pause (the Web UI, the CLI). */
const PRODUCT_PAUSE_NOTES: ReadonlySet<string | undefined> = new Set([
  INACTIVE_NOTE,
  ...Object.values(NoOccurrenceReason),
]);

/** What an activation change asks of a write. */
export type Activation = 'activate' | 'inactivate' | 'keep';

/**
 * The state a write leaves: paused when inactive, when the cadence has no further occurrence, or when an
 * operator paused it (kept until the schedule is activated through the product).
 */
export function stateAfterWrite(
  input: WorkspaceScheduleRecord,
  compiled: CompiledSchedule,
  before: { paused: boolean; note: string | undefined },
  activation: Activation,
): { paused: boolean; note: string } {
  if (!input.active) return { paused: true, note: INACTIVE_NOTE };
  if (compiled.paused) return { paused: true, note: compiled.reason ?? NoOccurrenceReason.NoDateMatches };
  const operatorPaused = before.paused && !PRODUCT_PAUSE_NOTES.has(before.note);
  if (operatorPaused && activation !== 'activate') return { paused: true, note: before.note ?? 'Paused' };
  return { paused: false, note: stateNote(compiled) };
}

/** Full options of a new workspace schedule. */
export function workspaceScheduleOptions(
  input: WorkspaceScheduleRecord,
  compiled: CompiledSchedule,
  taskQueue: string,
  memo: WorkspaceMemo,
): ScheduleOptions {
  const state = stateAfterWrite(input, compiled, { paused: false, note: undefined }, 'keep');
  return {
    scheduleId: input.scheduleId,
    spec: compiled.spec,
    action: {
      type: 'startWorkflow',
      workflowType: WORKSPACE_RUN_WORKFLOW,
      workflowId: `${input.scheduleId}:${input.generation}`,
      taskQueue,
      args: [input],
      typedSearchAttributes: workspaceSearchAttributes(input),
      staticSummary: `Workspace schedule "${input.key}" (${input.solution}): ${input.description.slice(0, 200)}`,
    },
    policies: {
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      catchupWindow: CATCHUP_WINDOW_MS,
      pauseOnFailure: false,
    },
    memo: memo as unknown as Record<string, unknown>,
    typedSearchAttributes: workspaceSearchAttributes(input),
    state,
  };
}

/** The decoded schedule, or undefined when the description is not a workspace schedule's. */
export function storedWorkspaceScheduleOf(
  scheduleId: string,
  description: ScheduleDescription,
): StoredWorkspaceSchedule | undefined {
  const memo = description.memo;
  const action = description.action;
  if (!isWorkspaceMemo(memo) || action.type !== 'startWorkflow') return undefined;
  const input = action.args?.[0] as WorkspaceScheduleRecord | undefined;
  if (!input) return undefined;
  return {
    scheduleId,
    memo,
    input,
    paused: description.state.paused,
    note: description.state.note,
    nextActionTimes: description.info.nextActionTimes,
    description,
  };
}
