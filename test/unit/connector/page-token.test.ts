/**
 * The List Schedules page token: opaque to callers, accepted only by the solution it was issued to, and anything
 * else (forged, truncated, another solution's) refused with the exact message naming the field.
 */
import { Messages, ScheduleActionError } from '../../../src/connector/errors';
import { decodePageToken, encodePageToken } from '../../../src/connector/page-token';

const TEMPORAL_TOKEN = new Uint8Array(
  Buffer.from('{"CloseTime":"2026-01-01T00:00:00Z","RunID":"r-1"}', 'utf8'),
);

function refusal(solution: string, token: string): ScheduleActionError {
  try {
    decodePageToken(solution, token);
  } catch (err) {
    expect(err).toBeInstanceOf(ScheduleActionError);
    return err as ScheduleActionError;
  }
  throw new Error(`token ${token} was accepted by ${solution}`);
}

test("a solution's token gives Temporal's token back to that solution", () => {
  const token = encodePageToken('acme', TEMPORAL_TOKEN);
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.from(decodePageToken('acme', token)).equals(Buffer.from(TEMPORAL_TOKEN))).toBe(true);
});

test('the token does not show the solution it was issued to', () => {
  const token = encodePageToken('acme-secret-solution', TEMPORAL_TOKEN);
  expect(Buffer.from(token, 'base64url').toString('utf8')).not.toContain('acme-secret-solution');
});

test.each<[string, string, (token: string) => string]>([
  ['issued to another solution', 'other', (token) => token],
  ['not base64url JSON', 'acme', () => 'bm90IGpzb24'],
  ['truncated', 'acme', (token) => token.slice(0, token.length - 6)],
  ['of another layout version', 'acme', (token) => retag(token, { v: 2 })],
  ['with a tag edited to another solution', 'acme', (token) => retag(token, { s: 'AAAAAAAAAAAAAAAA' })],
  ['without Temporal token', 'acme', (token) => retag(token, { t: undefined })],
  ['with a Temporal token that is not base64', 'acme', (token) => retag(token, { t: '<not base64>' })],
  [
    'with random bytes for Temporal token',
    'acme',
    (token) => retag(token, { t: 'q83vASNFZ4mrze8BI0VniQ==' }),
  ],
  ['with a Temporal token that is JSON but no object', 'acme', (token) => retag(token, { t: 'WzEsMl0=' })],
])('a token %s is refused: Page token is invalid', (_name, issuedTo, tamper) => {
  const error = refusal('acme', tamper(encodePageToken(issuedTo, TEMPORAL_TOKEN)));
  expect({ message: error.message, details: error.details }).toEqual({
    message: Messages.pageTokenInvalid,
    details: [Messages.pageTokenInvalid],
  });
});

/** The token with fields of its JSON body replaced. */
function retag(token: string, fields: Record<string, unknown>): string {
  const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...body, ...fields }), 'utf8').toString('base64url');
}
