/** A target's own headers and URL, checked at registration by the catalog schema (issue 9.4). */
import { DispatchTargetSchema } from '../../../src/catalog/model';
import {
  FORBIDDEN_TARGET_HEADERS,
  MAX_TARGET_HEADERS,
  MAX_TARGET_HEADER_NAME_LENGTH,
  MAX_TARGET_HEADER_VALUE_LENGTH,
  MAX_TARGET_URL_LENGTH,
  targetHeaderProblems,
} from '../../../src/dispatch/headers';

const URL = 'https://runbooks.example.com/hook';

/** The messages the catalog schema gives for an http target with these headers (and URL). */
function problemsOf(headers: unknown, url: string = URL): string[] {
  const parsed = DispatchTargetSchema.safeParse({ kind: 'http', url, headers });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

describe('target headers', () => {
  it('accepts ordinary headers, Content-Type and User-Agent included (the platform replaces those two)', () => {
    const headers = {
      Authorization: 'Bearer abc.def',
      'X-Api-Key': 'k-1',
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': 'mine',
      'X-Latin1': 'caf\u00e9',
      'X-Tabbed': 'a\tb',
    };
    expect(problemsOf(headers)).toEqual([]);
    expect(targetHeaderProblems(headers)).toEqual([]);
  });

  it.each([
    'Host',
    'Content-Length',
    'Transfer-Encoding',
    'Connection',
    'Keep-Alive',
    'Upgrade',
    'TE',
    'Trailer',
    'Expect',
    'Proxy-Authorization',
    'Proxy-Connection',
    'Idempotency-Key',
    'X-Job-Context-Identifier',
    'transfer-encoding',
  ])('refuses %s, naming it', (name) => {
    expect(problemsOf({ [name]: 'x' })).toEqual([`Target header "${name}" is not allowed`]);
  });

  it('refuses the issue’s example exactly', () => {
    expect(problemsOf({ 'Transfer-Encoding': 'chunked' })).toEqual([
      'Target header "Transfer-Encoding" is not allowed',
    ]);
  });

  it.each([
    ['X Bad', 'Target header "X Bad" is not a valid header name'],
    ['X-Bad:', 'Target header "X-Bad:" is not a valid header name'],
    ['', 'Target header "" is not a valid header name'],
    ['X-Evil\r\nInjected', 'Target header "X-Evil\\r\\nInjected" is not a valid header name'],
    ['caf\u00e9', 'Target header "caf\u00e9" is not a valid header name'],
    [':authority', 'Target header ":authority" is not a valid header name'],
  ])('refuses the name %j', (name, message) => {
    expect(problemsOf({ [name]: 'x' })).toEqual([message]);
  });

  it.each([
    ['a\r\nX-Injected: 1', 'Target header "X-Note" value must not contain CR, LF or NUL'],
    ['line\n', 'Target header "X-Note" value must not contain CR, LF or NUL'],
    ['nul\u0000', 'Target header "X-Note" value must not contain CR, LF or NUL'],
    [
      'bell\u0007',
      'Target header "X-Note" value must contain only printable Latin-1 characters (percent-encode others)',
    ],
    [
      'emoji \u{1f600}',
      'Target header "X-Note" value must contain only printable Latin-1 characters (percent-encode others)',
    ],
  ])('refuses the value %j without quoting it', (value, message) => {
    const problems = problemsOf({ 'X-Note': value });
    expect(problems).toEqual([message]);
    expect(problems.join()).not.toContain(value);
  });

  it('refuses one name given twice in different cases', () => {
    expect(problemsOf({ 'X-Token': 'a', 'x-token': 'b' })).toEqual([
      'Target header "x-token" is given more than once',
    ]);
  });

  it('bounds the count, the name and the value', () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_TARGET_HEADERS + 1 }, (_, i) => [`X-H${i}`, 'v']),
    );
    expect(problemsOf(many)).toEqual(['Target headers must be at most 32']);
    const enough = Object.fromEntries(Array.from({ length: MAX_TARGET_HEADERS }, (_, i) => [`X-H${i}`, 'v']));
    expect(problemsOf(enough)).toEqual([]);

    expect(problemsOf({ ['X'.repeat(MAX_TARGET_HEADER_NAME_LENGTH + 1)]: 'v' })).toEqual([
      'Target header names must be at most 256 characters',
    ]);
    expect(problemsOf({ ['X'.repeat(MAX_TARGET_HEADER_NAME_LENGTH)]: 'v' })).toEqual([]);

    expect(problemsOf({ 'X-Big': 'v'.repeat(MAX_TARGET_HEADER_VALUE_LENGTH + 1) })).toEqual([
      'Target header "X-Big" value must be at most 8192 characters',
    ]);
    expect(problemsOf({ 'X-Big': 'v'.repeat(MAX_TARGET_HEADER_VALUE_LENGTH) })).toEqual([]);
  });

  it('gives every problem at once, one per header', () => {
    expect(problemsOf({ Connection: 'close', 'X-Ok': 'fine', 'X-Bad': 'a\nb', Host: 'evil' })).toEqual([
      'Target header "Connection" is not allowed',
      'Target header "X-Bad" value must not contain CR, LF or NUL',
      'Target header "Host" is not allowed',
    ]);
  });

  it('says what headers must be when they are not an object of strings', () => {
    expect(problemsOf({ 'X-Count': 3 })).toEqual(['Target header values must be strings']);
    expect(problemsOf('Authorization: x')).toEqual([
      'Target headers must be an object of header names to values',
    ]);
  });

  it('lists the forbidden names in lower case', () => {
    for (const name of FORBIDDEN_TARGET_HEADERS) expect(name).toBe(name.toLowerCase());
  });

  it('does not mutate the headers', () => {
    const headers = Object.freeze({ Connection: 'close', 'X-Ok': 'fine' });
    targetHeaderProblems(headers);
    expect(headers).toEqual({ Connection: 'close', 'X-Ok': 'fine' });
  });
});

describe('target url length', () => {
  it(`accepts ${MAX_TARGET_URL_LENGTH} characters and refuses one more`, () => {
    const base = 'https://example.com/';
    const longest = base + 'a'.repeat(MAX_TARGET_URL_LENGTH - base.length);
    expect(problemsOf(undefined, longest)).toEqual([]);
    expect(problemsOf(undefined, `${longest}a`)).toEqual(['Target url must be at most 2048 characters']);
  });
});
