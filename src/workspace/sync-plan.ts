/**
 * What a sync does to one managed schedule (FEATURES.md C4), pure: the record the workspace should hold for a
 * schedule of the integration definition given what it holds now. The integration owns the jobs, description,
 * failure policy, request body and feature; the cadence is the integration's unless it was changed locally, which
 * later syncs keep (until reset). A schedule of an Active feature is active; one of another feature keeps its
 * own state (a new one starts inactive).
 */
import { sameCadence } from './cadence';
import { FeatureStatus } from './model';
import type { ManagedInfo, WorkspaceScheduleRecord } from './run-input';
import type { Activation } from './schedule-options';

/** A schedule as the definition wants it, compiled and resolved. */
export type DesiredSchedule = Omit<
  WorkspaceScheduleRecord,
  'active' | 'managed' | 'generation' | 'revision'
> & {
  readonly managed: Omit<ManagedInfo, 'locallyModified'>;
};

/** The outcome for one schedule: create it, update it (with an activation), or leave it. */
export type SyncStep =
  | { readonly action: 'create'; readonly record: Omit<WorkspaceScheduleRecord, 'generation'> }
  | { readonly action: 'update'; readonly record: WorkspaceScheduleRecord; readonly activation: Activation }
  | { readonly action: 'unchanged' };

/** The fields a sync compares: everything of the record but its generation and revision. */
function comparable(record: Omit<WorkspaceScheduleRecord, 'generation'>): string {
  const { revision: _revision, ...rest } = record as WorkspaceScheduleRecord;
  void _revision;
  const ordered = Object.keys(rest)
    .filter((k) => k !== 'generation')
    .sort()
    .map((k) => [k, (rest as unknown as Record<string, unknown>)[k]]);
  return JSON.stringify(ordered);
}

/**
 * The step for one schedule of the definition.
 * @param current the schedule as stored, with whether Temporal has it paused; undefined when it does not exist.
 */
export function syncStep(
  desired: DesiredSchedule,
  current: { readonly record: WorkspaceScheduleRecord; readonly paused: boolean } | undefined,
): SyncStep {
  const featureActive = desired.managed.featureStatus === FeatureStatus.Active;
  if (!current) {
    return {
      action: 'create',
      record: { ...desired, active: featureActive, managed: { ...desired.managed, locallyModified: false } },
    };
  }
  const was = current.record;
  const localCadence = was.managed?.locallyModified === true && !sameCadence(was.cadence, desired.cadence);
  const record: WorkspaceScheduleRecord = {
    ...desired,
    generation: was.generation,
    cadence: localCadence ? was.cadence : desired.cadence,
    recurrence: localCadence ? was.recurrence : desired.recurrence,
    active: featureActive ? true : was.active,
    managed: { ...desired.managed, locallyModified: localCadence },
  };
  const activation: Activation = featureActive && (current.paused || !was.active) ? 'activate' : 'keep';
  const sameRecord = comparable(record) === comparable(was) && sameCadence(record.cadence, was.cadence);
  if (sameRecord && activation === 'keep') return { action: 'unchanged' };
  return { action: 'update', record, activation };
}
