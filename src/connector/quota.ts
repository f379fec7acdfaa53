/**
 * The per-solution schedule quota (`RUNBOOK_SCHEDULER_SCHEDULE_QUOTA`): a solution with as many live schedules
 * as its quota gets no new one. Counted through visibility before a create, so concurrent creates at the edge
 * may overshoot it by the few that race; it bounds a tenant, it is not a ledger.
 */
import type { ScheduleGateway } from '../temporal/schedule-gateway';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';

/**
 * @param message the action's message for the quota's sentence.
 * @throws {@link ScheduleActionError} code `quota_exceeded` when the solution is at its quota.
 */
export async function checkScheduleQuota(
  gateway: ScheduleGateway,
  solution: string,
  quota: number,
  message: (sentence: string) => string,
): Promise<void> {
  if ((await gateway.countSchedules(solution)) < quota) return;
  const sentence = Messages.quotaReached(quota);
  throw new ScheduleActionError(message(sentence), ActionErrorCode.QuotaExceeded, [sentence]);
}
