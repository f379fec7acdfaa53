/**
 * The per-solution schedule quota (`RUNBOOK_SCHEDULER_SCHEDULE_QUOTA`): a solution with as many live schedules
 * as its quota gets no new one. Counted through visibility before a create, so concurrent creates at the edge
 * may overshoot it by the few that race; it bounds a tenant, it is not a ledger.
 *
 * The count grows with the solution (Temporal counts every schedule of it: about 70 ms of server time at 10,000,
 * where creates ran at 0.28 of raw Temporal's rate with it). So a count stands for
 * {@link QUOTA_COUNT_MAX_AGE_MS}, plus the creates this process made since, while that estimate is clear of the
 * quota by {@link quotaHeadroom}; near the quota, or once the count is older, every create counts again. What the
 * estimate cannot see is other processes' creates within its age: the overshoot is bounded by those.
 */
import type { ScheduleGateway } from '../temporal/schedule-gateway';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';

/** How long a solution's count stands for a fresh one, while far from the quota. */
export const QUOTA_COUNT_MAX_AGE_MS = 30_000;

/**
 * How far below the quota an estimate must be to skip counting: a tenth of the quota, and at least 10 (so a small
 * quota is counted on every create).
 */
export function quotaHeadroom(quota: number): number {
  return Math.max(10, Math.ceil(quota / 10));
}

interface Counted {
  /** The solution's schedules as Temporal counted them. */
  readonly count: number;
  /** When, by the quota's clock (ms). */
  readonly at: number;
  /** Creates this process made since. */
  created: number;
}

/** The quota of every solution, checked by one process. */
export class ScheduleQuota {
  private readonly counted = new Map<string, Counted>();

  /**
   * @param quota live schedules one solution may have.
   * @param now the clock the count's age is read on.
   */
  constructor(
    private readonly gateway: Pick<ScheduleGateway, 'countSchedules'>,
    readonly quota: number,
    private readonly now: () => Date,
    private readonly maxAgeMs: number = QUOTA_COUNT_MAX_AGE_MS,
  ) {}

  /**
   * Resolves when the solution may have one more schedule.
   * @param message the action's message for the quota's sentence.
   * @throws {@link ScheduleActionError} code `quota_exceeded` when the solution is at its quota.
   */
  async check(solution: string, message: (sentence: string) => string): Promise<void> {
    const at = this.now().getTime();
    const known = this.counted.get(solution);
    const fresh = known !== undefined && at - known.at >= 0 && at - known.at < this.maxAgeMs;
    if (fresh && known.count + known.created < this.quota - quotaHeadroom(this.quota)) return;
    const count = await this.gateway.countSchedules(solution);
    this.counted.set(solution, { count, at, created: 0 });
    if (count < this.quota) return;
    const sentence = Messages.quotaReached(this.quota);
    throw new ScheduleActionError(message(sentence), ActionErrorCode.QuotaExceeded, [sentence]);
  }

  /** Counts a schedule this process created for the solution into its estimate. */
  created(solution: string): void {
    const known = this.counted.get(solution);
    if (known) known.created++;
  }
}
