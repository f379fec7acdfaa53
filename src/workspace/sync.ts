/**
 * Sync of an integration definition into a workspace (FEATURES.md C4): its managed schedules are created,
 * updated and removed so the workspace matches the definition. The whole definition is checked first (every
 * cadence, the floor included, and every job's runbook), so an invalid one changes nothing. Schedule ids derive
 * from the definition (`<integration>~<schedule id>`), so syncing twice changes nothing and a sync that failed
 * half-way is simply run again: what it did is found and not done twice. Unmanaged schedules and other
 * integrations' are never touched.
 */
import { requireRole } from '../connector/authorize';
import { ActionErrorCode, ScheduleActionError } from '../connector/errors';
import { Role, type Principal } from '../principal';
import { newGeneration } from '../temporal/schedule-ids';
import { WorkspaceMessages } from './errors';
import { IntegrationDefinitionSchema } from './model';
import { managedKey, workspaceScheduleId } from './schedule-options';
import { parseInput, type WorkspaceService } from './service';
import { writeOrConflict } from './write-outcome';
import { syncStep, type DesiredSchedule } from './sync-plan';

/** One step of a sync as it is reported while the sync goes on. */
export interface SyncProgress {
  /** Steps done so far, this one included. */
  readonly done: number;
  readonly total: number;
  readonly key: string;
  readonly action: 'created' | 'updated' | 'removed' | 'unchanged';
}

/** What a sync did, by key. */
export interface SyncResult {
  readonly integration: string;
  readonly created: string[];
  readonly updated: string[];
  readonly removed: string[];
  readonly unchanged: string[];
}

/**
 * Syncs a definition into the caller's workspace.
 * @param onProgress called after each schedule is done (the CLI prints it).
 * @throws {@link ScheduleActionError} `Integration definition is invalid` (every message in `details`) before
 *   changing anything; `forbidden` without the `IntegrationAuthor` role.
 */
export async function syncIntegration(
  service: WorkspaceService,
  principal: Principal,
  raw: unknown,
  onProgress: (progress: SyncProgress) => void = () => undefined,
  now: Date = new Date(),
): Promise<SyncResult> {
  requireRole(principal, Role.IntegrationAuthor, 'sync an integration');
  const definition = parseInput(IntegrationDefinitionSchema, raw, WorkspaceMessages.definitionInvalid);
  const { solution } = principal;
  const messages: string[] = [];
  const desired: DesiredSchedule[] = [];
  for (const feature of definition.features) {
    for (const schedule of feature.schedules) {
      const where = `Schedule "${schedule.id}": `;
      let compiled;
      try {
        compiled = service.compile(schedule.cadence, now);
      } catch (err) {
        messages.push(...(err as ScheduleActionError).details.map((m) => where + m));
        continue;
      }
      const jobs = await service.resolveJobs(solution, schedule.jobs);
      messages.push(...jobs.messages.map((m) => where + m));
      const key = managedKey(definition.integration, schedule.id);
      desired.push({
        scheduleId: workspaceScheduleId(solution, key),
        solution,
        key,
        description: schedule.description,
        cadence: compiled.cadence,
        recurrence: compiled.recurrence,
        jobs: jobs.jobs,
        failurePolicy: schedule.failure_policy,
        retry: service.deps.retry,
        ...(schedule.request_body ? { requestBody: schedule.request_body } : {}),
        managed: {
          integration: definition.integration,
          feature: feature.id,
          ...(feature.name ? { featureName: feature.name } : {}),
          featureStatus: feature.status,
          cadence: compiled.cadence,
        },
      });
    }
  }
  if (messages.length > 0) {
    throw new ScheduleActionError(WorkspaceMessages.definitionInvalid, ActionErrorCode.Invalid, messages);
  }

  const gateway = service.deps.gateway;
  const wanted = new Set(desired.map((d) => d.scheduleId));
  // Visibility finds those to remove; the wanted ones are read directly, which is consistent at once.
  const listed = (await gateway.list(solution)).filter(
    (s) => s.memo.integration === definition.integration && !wanted.has(s.scheduleId),
  );
  const total = desired.length + listed.length;
  const result: SyncResult = {
    integration: definition.integration,
    created: [],
    updated: [],
    removed: [],
    unchanged: [],
  };
  let done = 0;
  const report = (key: string, action: SyncProgress['action']) => {
    result[action].push(key);
    onProgress({ done: ++done, total, key, action });
  };
  for (const schedule of desired) {
    report(schedule.key, await applyOne(service, schedule, now));
  }
  for (const stale of listed) {
    await gateway.delete(stale.scheduleId);
    report(stale.input.key, 'removed');
  }
  return result;
}

async function applyOne(
  service: WorkspaceService,
  desired: DesiredSchedule,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const gateway = service.deps.gateway;
  const current = await gateway.get(desired.scheduleId);
  const step = syncStep(desired, current && { record: current.input, paused: current.paused });
  if (step.action === 'unchanged') return 'unchanged';
  if (step.action === 'create') {
    try {
      await service.createRecord({ ...step.record, generation: newGeneration(now) }, now);
      return 'created';
    } catch (err) {
      // Created meanwhile (a concurrent sync): update it instead.
      if (!(err instanceof ScheduleActionError && err.code === ActionErrorCode.Conflict)) throw err;
      return await applyOne(service, desired, now);
    }
  }
  let changed = false;
  // Recomputed on the schedule as read inside the write, so a local cadence change that raced the sync is kept.
  const written = await writeOrConflict(desired.key, () =>
    gateway.write(
      desired.scheduleId,
      (fresh) => {
        const again = syncStep(desired, { record: fresh.input, paused: fresh.paused });
        if (again.action !== 'update') return undefined;
        changed = true;
        return { input: again.record, activation: again.activation };
      },
      now,
    ),
  );
  if (!written) return await applyOne(service, desired, now);
  return changed ? 'updated' : 'unchanged';
}
