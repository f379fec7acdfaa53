/** Role checks of the operations that need one (FEATURES.md B8, C4): a refusal is a 403 and CLI exit 1. */
import { hasRole, type Principal, type Role } from '../principal';
import { ActionErrorCode, Messages, ScheduleActionError } from './errors';

/**
 * Refuses a principal without the role.
 * @param operation what the caller tried, as the message says it: `The <role> role is required to <operation>`.
 * @throws {@link ScheduleActionError} of code `forbidden`.
 */
export function requireRole(principal: Principal, role: Role, operation: string): void {
  if (!hasRole(principal, role)) {
    throw new ScheduleActionError(Messages.roleRequired(role, operation), ActionErrorCode.Forbidden);
  }
}
