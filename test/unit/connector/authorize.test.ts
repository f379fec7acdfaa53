import { requireRole } from '../../../src/connector/authorize';
import { ActionErrorCode, ScheduleActionError } from '../../../src/connector/errors';
import { Role } from '../../../src/principal';

const alice = { solution: 'acme', user: 'alice', roles: [Role.IntegrationAuthor] };

test('a principal with the role passes; one without is refused with a forbidden error naming the role', () => {
  expect(() => requireRole(alice, Role.IntegrationAuthor, 'add schedules')).not.toThrow();
  expect(() => requireRole(alice, Role.ServiceAdministrator, 'change the submitting user')).toThrow(
    new ScheduleActionError(
      'The ServiceAdministrator role is required to change the submitting user',
      ActionErrorCode.Forbidden,
    ),
  );
  try {
    requireRole({ ...alice, roles: [] }, Role.IntegrationAuthor, 'add schedules');
  } catch (err) {
    expect((err as ScheduleActionError).code).toBe(ActionErrorCode.Forbidden);
  }
  expect.assertions(3);
});
