/**
 * How the CLI ends on an error: invalid input (usage, recurrence, settings, an invalid action) exits 2; a failed
 * operation exits 1; an outage (Temporal or the catalog unavailable, or a raw Temporal transport error that
 * reached the CLI untranslated) exits 1 with `<Dependency> is unavailable: <reason>`, never 2.
 */
import { Command, USAGE, usageOf } from '../../../src/cli/commands';
import { InvalidRecurrenceError, UsageError } from '../../../src/cli/errors';
import { ExitStatus, reportOf } from '../../../src/cli/report';
import { SettingsError } from '../../../src/config';
import { ActionErrorCode, ScheduleActionError } from '../../../src/connector/errors';
import { Dependency, UnavailableError } from '../../../src/errors';

/** A gRPC status error as @grpc/grpc-js builds it (an Error with code, details and metadata). */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

test.each<[string, unknown, ExitStatus, string]>([
  [
    'a usage error, with its command usage',
    new UsageError('get does not take --count', Command.Get),
    ExitStatus.InvalidInput,
    `get does not take --count\n\n${usageOf(Command.Get)}\n`,
  ],
  [
    'a usage error without a command, with the general usage',
    new UsageError('Unknown command "x"'),
    ExitStatus.InvalidInput,
    `Unknown command "x"\n\n${USAGE}\n`,
  ],
  [
    'an invalid recurrence, one message a line',
    new InvalidRecurrenceError(['Interval must be greater than or equal to 1', 'Time zone is required']),
    ExitStatus.InvalidInput,
    'Interval must be greater than or equal to 1\nTime zone is required\n',
  ],
  [
    'a malformed setting',
    new SettingsError('TEMPORAL_TLS must be true or false, got "maybe"'),
    ExitStatus.InvalidInput,
    'TEMPORAL_TLS must be true or false, got "maybe"\n',
  ],
  [
    'an invalid action, with its details',
    new ScheduleActionError('Failed to update schedule: Schedule update failed', ActionErrorCode.Invalid, [
      'Interval must be greater than or equal to 1',
    ]),
    ExitStatus.InvalidInput,
    'Failed to update schedule: Schedule update failed\n  Interval must be greater than or equal to 1\n',
  ],
  [
    'an action that found nothing',
    new ScheduleActionError('Failed to update schedule: Schedule not found', ActionErrorCode.NotFound),
    ExitStatus.Failed,
    'Failed to update schedule: Schedule not found\n',
  ],
  [
    'Temporal unavailable',
    new UnavailableError(Dependency.Temporal, 'the server did not answer'),
    ExitStatus.Failed,
    'Temporal is unavailable: the server did not answer\n',
  ],
  [
    'the catalog unavailable',
    new UnavailableError(Dependency.Catalog, 'database is locked'),
    ExitStatus.Failed,
    'Catalog is unavailable: database is locked\n',
  ],
  [
    "a raw connect deadline (grpc-js's waitForReady), without the address",
    new Error('Failed to connect before the deadline'),
    ExitStatus.Failed,
    'Temporal is unavailable: cannot connect to the server\n',
  ],
  [
    'a raw gRPC UNAVAILABLE wrapped by the SDK, without the address',
    new Error('Failed to connect to Temporal server', {
      cause: grpcError(14, 'No connection established. Last error: connect ECONNREFUSED 10.0.0.7:7233'),
    }),
    ExitStatus.Failed,
    'Temporal is unavailable: the server did not answer\n',
  ],
  ['any other failure, with its message', new Error('disk full'), ExitStatus.Failed, 'disk full\n'],
])('%s', (_, error, status, text) => {
  expect(reportOf(error)).toEqual({ status, text });
});
