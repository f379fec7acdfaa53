/**
 * The order of a run's jobs (FEATURES.md C1), pure and deterministic, so the workflow uses it as is: skip-wait
 * jobs start when the schedule fires; the others run in groups of equal sequence numbers, lowest first, each
 * group once the one before it has finished. And the words of a run that errored.
 */
import { RunMessages } from './errors';
import type { JobOutcome } from './run-input';

/** The part of a job that decides its place. */
export interface PlaceOfJob {
  readonly sequence: number;
  readonly skipWait: boolean;
}

/** A run's plan: positions (1-based) of the jobs started at the fire, and the groups in the order they run. */
export interface RunPlan {
  readonly atFire: readonly number[];
  readonly groups: ReadonlyArray<{ readonly sequence: number; readonly positions: readonly number[] }>;
}

/** Plans the jobs at `positions` (1-based, default all) of `jobs`. */
export function planRun(jobs: readonly PlaceOfJob[], positions?: readonly number[]): RunPlan {
  const chosen = positions ?? jobs.map((_, i) => i + 1);
  const atFire: number[] = [];
  const bySequence = new Map<number, number[]>();
  for (const position of chosen) {
    const job = jobs[position - 1];
    if (!job) continue;
    if (job.skipWait) atFire.push(position);
    else bySequence.set(job.sequence, [...(bySequence.get(job.sequence) ?? []), position]);
  }
  const groups = [...bySequence.entries()]
    .sort(([a], [b]) => a - b)
    .map(([sequence, group]) => ({ sequence, positions: group }));
  return { atFire, groups };
}

/** The failure message of a run in which some job failed, or undefined when none did. */
export function erroredMessage(outcomes: readonly JobOutcome[]): string | undefined {
  const name = (o: JobOutcome) => RunMessages.job(o.position, o.name, o.sequence);
  const sorted = [...outcomes].sort((a, b) => a.position - b.position);
  const failed = sorted.filter((o) => o.status === 'failed');
  if (failed.length === 0) return undefined;
  return RunMessages.errored(
    failed.map((o) => `${name(o)} (${o.error ?? 'failed'})`),
    sorted.filter((o) => o.status === 'succeeded' || o.status === 'duplicate').map(name),
    sorted.filter((o) => o.status === 'not_started').map(name),
  );
}

/** The `Idempotency-Key` of one job of one occurrence: the occurrence's key and the job's position. */
export function jobIdempotencyKey(occurrenceKey: string, position: number): string {
  return `${occurrenceKey}/job-${position}`;
}
