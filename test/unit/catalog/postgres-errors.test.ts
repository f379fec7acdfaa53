/** PostgreSQL's errors translated in one place: outages become UnavailableError, anything else is kept. */
import { PostgresUnavailableReason as R, translatePostgresError } from '../../../src/catalog/postgres-errors';
import { Dependency, UnavailableError } from '../../../src/errors';

/** An error of the shape the driver gives for a server's answer (its DatabaseError). */
function serverError(code: string): Error {
  return Object.assign(new Error(`server says ${code}`), { code, severity: 'ERROR' });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.1.2.3:5432`), { code });
}

describe('translatePostgresError', () => {
  test.each<[string, Error, string]>([
    ['refused', systemError('ECONNREFUSED'), R.unreachable],
    ['unknown host', systemError('ENOTFOUND'), R.unreachable],
    ['reset', systemError('ECONNRESET'), R.connectionLost],
    ['TCP timeout', systemError('ETIMEDOUT'), R.timeout],
    ['bad certificate', systemError('SELF_SIGNED_CERT_IN_CHAIN'), R.tls],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), R.timeout],
    ['connection ended', new Error('Connection terminated unexpectedly'), R.connectionLost],
    [
      'no password',
      new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'),
      R.credentials,
    ],
    [
      'every address refused',
      Object.assign(new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]), {}),
      R.unreachable,
    ],
    ['28P01 invalid password', serverError('28P01'), R.credentials],
    ['3D000 no database', serverError('3D000'), R.noDatabase],
    ['08006 connection failure', serverError('08006'), R.connectionLost],
    ['53300 too many connections', serverError('53300'), R.resources],
    ['53100 disk full', serverError('53100'), R.diskFull],
    ['55P03 lock timeout', serverError('55P03'), R.locked],
    ['57014 statement timeout', serverError('57014'), R.timeout],
    ['57P01 admin shutdown', serverError('57P01'), R.shuttingDown],
    ['25006 read-only standby', serverError('25006'), R.readOnly],
    ['42501 privilege', serverError('42501'), R.privilege],
  ])('%s is an outage', (_, cause, reason) => {
    const err = translatePostgresError(cause);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({ dependency: Dependency.Catalog, reason, cause });
    expect((err as Error).message).toBe(`Catalog is unavailable: ${reason}`);
    expect((err as Error).message).not.toContain('10.1.2.3');
  });

  test.each(['23505', '42P01', '22P02', '40P01'])('SQLSTATE %s is not an outage and is kept', (code) => {
    const err = serverError(code);
    expect(translatePostgresError(err)).toBe(err);
  });

  test('an error that is not the driver’s is kept; an UnavailableError passes through', () => {
    const bug = new TypeError('x is undefined');
    expect(translatePostgresError(bug)).toBe(bug);
    const outage = new UnavailableError(Dependency.Catalog, 'the catalog is closed');
    expect(translatePostgresError(outage)).toBe(outage);
  });
});
