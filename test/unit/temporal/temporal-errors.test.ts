/**
 * Temporal's errors become the product's in one place; an outage is an UnavailableError that names no address.
 */
import { status } from '@grpc/grpc-js';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError as TemporalNotFound,
  ServiceError,
} from '@temporalio/client';
import { UnavailableError } from '../../../src/errors';
import {
  isConflict,
  ScheduleAlreadyExistsError,
  ScheduleNotFoundError,
  translateTemporalError,
  translating,
} from '../../../src/temporal/temporal-errors';

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: {} });
}

test('an id that is taken and a schedule that is gone become the product errors, carrying the id', () => {
  const exists = translateTemporalError(new ScheduleAlreadyRunning('exists', 'rbs:a:b'), 'rbs:a:b');
  expect(exists).toBeInstanceOf(ScheduleAlreadyExistsError);
  expect((exists as ScheduleAlreadyExistsError).scheduleId).toBe('rbs:a:b');
  const gone = translateTemporalError(new TemporalNotFound('gone', 'rbs:a:b'), 'rbs:a:b');
  expect(gone).toBeInstanceOf(ScheduleNotFoundError);
  expect(translateTemporalError(grpcError(status.NOT_FOUND, 'workflow not found'), 'rbs:a:b')).toBeInstanceOf(
    ScheduleNotFoundError,
  );
});

test('a schedule whose scheduler workflow closed as the call arrived (deleted a moment ago) is gone', () => {
  const closed = new ServiceError('Failed to describe schedule', {
    cause: grpcError(
      status.FAILED_PRECONDITION,
      'Workflow execution closed before WorkflowTaskStarted event',
    ),
  });
  expect(translateTemporalError(closed, 'rbs:a:b')).toBeInstanceOf(ScheduleNotFoundError);
  // Other preconditions are not a missing schedule.
  const other = grpcError(status.FAILED_PRECONDITION, 'namespace is not active');
  expect(translateTemporalError(other, 'rbs:a:b')).toBe(other);
});

test.each([
  [status.UNAVAILABLE, 'Temporal is unavailable: the server did not answer'],
  [status.DEADLINE_EXCEEDED, 'Temporal is unavailable: the request timed out'],
  [status.RESOURCE_EXHAUSTED, 'Temporal is unavailable: the server is overloaded'],
])('gRPC status %s, also wrapped in a ServiceError, is an outage: %s', (code, message) => {
  const wrapped = new ServiceError('Failed to describe schedule', {
    cause: grpcError(code, 'No connection established. Last error: connect ECONNREFUSED 10.1.2.3:7233'),
  });
  const translated = translateTemporalError(wrapped, 'rbs:a:b');
  expect(translated).toBeInstanceOf(UnavailableError);
  expect((translated as Error).message).toBe(message);
  expect((translated as Error).message).not.toMatch(/10\.1\.2\.3|7233/);
});

test('a connection that cannot be made is an outage too', () => {
  const translated = translateTemporalError(new Error('Failed to connect before the deadline'));
  expect(translated).toBeInstanceOf(UnavailableError);
  expect((translated as Error).message).toBe('Temporal is unavailable: cannot connect to the server');
});

test('anything else is passed on unchanged', () => {
  const invalid = grpcError(status.INVALID_ARGUMENT, 'bad spec');
  expect(translateTemporalError(invalid, 'x')).toBe(invalid);
  const bug = new TypeError('undefined is not a function');
  expect(translateTemporalError(bug)).toBe(bug);
});

test('a refused stale conflict token is recognised as a conflict, other refusals are not', () => {
  expect(isConflict(grpcError(status.FAILED_PRECONDITION, 'conflict token mismatch'))).toBe(true);
  expect(isConflict(grpcError(status.FAILED_PRECONDITION, 'namespace is not active'))).toBe(false);
  expect(isConflict(new Error('conflict'))).toBe(false);
});

test('translating() throws the translated error', async () => {
  await expect(
    translating('rbs:a:b', () => Promise.reject(new ScheduleAlreadyRunning('x', 'rbs:a:b'))),
  ).rejects.toBeInstanceOf(ScheduleAlreadyExistsError);
  await expect(translating('rbs:a:b', () => Promise.resolve(42))).resolves.toBe(42);
});
