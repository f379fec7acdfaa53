/** Job context identifier resolution of Dynamic Scheduler runs (FEATURES.md A6), every branch. */
import {
  boundedIdentifier,
  jobContextErrorMessage,
  MAX_IDENTIFIER_LENGTH,
  resolveJobContextIdentifier,
} from '../../../src/dispatch/job-context';

const TRIGGERED_AT = '2026-04-29T09:00:00Z';
const request = (body: unknown) => ({ body, triggered_at: TRIGGERED_AT });
const BODY = {
  schedule_reference: 'tenant-42-daily',
  tenant_id: '42',
  count: 7,
  items: [{ id: 'a' }, { id: 'b' }],
  nested: { deep: { value: 'x' } },
};
const ERROR_PREFIX = 'Unable to determine job context identifier. ';

describe('resolveJobContextIdentifier', () => {
  it.each([
    ['body.tenant_id', '42'],
    ['body.schedule_reference', 'tenant-42-daily'],
    ['body.nested.deep.value', 'x'],
    ['triggered_at', TRIGGERED_AT],
    // a bare path is looked up under body first
    ['tenant_id', '42'],
    ['schedule_reference', 'tenant-42-daily'],
    ['nested.deep.value', 'x'],
    // numeric segments index arrays
    ['body.items.1.id', 'b'],
    ['items.0.id', 'a'],
    // non-string values are stringified
    ['body.count', '7'],
  ])('%s resolves to %s', (path, expected) => {
    expect(resolveJobContextIdentifier(path, request(BODY))).toEqual({ identifier: expected, error: null });
  });

  it('falls back to the top level when a bare path is absent in body', () => {
    expect(resolveJobContextIdentifier('triggered_at', request({ tenant_id: '42' }))).toEqual({
      identifier: TRIGGERED_AT,
      error: null,
    });
  });

  it('prefers body over the top level for a bare path present in both', () => {
    expect(resolveJobContextIdentifier('triggered_at', request({ triggered_at: 'from-body' }))).toEqual({
      identifier: TRIGGERED_AT, // `triggered_at` names the top-level key: resolved as written
      error: null,
    });
    expect(resolveJobContextIdentifier('tenant_id', request({ tenant_id: 'from-body' }))).toEqual({
      identifier: 'from-body',
      error: null,
    });
  });

  it.each([
    'body.missing',
    'missing',
    'body.nested.missing.deeper',
    'body.items.5.id',
    'items.2',
    'body.tenant_id_typo',
  ])('%s (no match) gives no identifier and no error', (path) => {
    expect(resolveJobContextIdentifier(path, request(BODY))).toEqual({ identifier: null, error: null });
  });

  it.each([undefined, '', '   '])('path %p gives no identifier', (path) => {
    expect(resolveJobContextIdentifier(path, request(BODY))).toEqual({ identifier: null, error: null });
  });

  it.each([
    ['body.items.first', 'TypeError'],
    ['items.first.id', 'TypeError'],
    ['body.tenant_id.x', 'TypeError'],
    ['body.count.x', 'TypeError'],
    ['triggered_at.x', 'TypeError'],
  ])('%s indexes into a non-object: the exact log line, no identifier', (path, errorName) => {
    const resolution = resolveJobContextIdentifier(path, request(BODY));
    expect(resolution.identifier).toBeNull();
    expect(resolution.error?.startsWith(`${ERROR_PREFIX}${errorName}: `)).toBe(true);
    expect(resolution.error).toMatch(/^Unable to determine job context identifier\. TypeError: \S/);
  });

  it('formats the error line exactly', () => {
    expect(jobContextErrorMessage('TypeError', 'boom')).toBe(
      'Unable to determine job context identifier. TypeError: boom',
    );
  });

  it.each([null, '', {}])('accepts the empty body %p: no identifier, no error', (body) => {
    for (const path of ['body.tenant_id', 'tenant_id']) {
      expect(resolveJobContextIdentifier(path, request(body))).toEqual({ identifier: null, error: null });
    }
    expect(resolveJobContextIdentifier('triggered_at', request(body))).toEqual({
      identifier: TRIGGERED_AT,
      error: null,
    });
  });

  it('does not mutate the request', () => {
    const body = structuredClone(BODY);
    const req = request(body);
    resolveJobContextIdentifier('body.items.1.id', req);
    resolveJobContextIdentifier('items.first', req);
    expect(req).toEqual(request(BODY));
  });
});

describe('boundedIdentifier', () => {
  it('keeps identifiers up to MAX_IDENTIFIER_LENGTH verbatim', () => {
    const id = 'x'.repeat(MAX_IDENTIFIER_LENGTH);
    expect(boundedIdentifier(id)).toBe(id);
    expect(boundedIdentifier('42')).toBe('42');
  });

  it('bounds longer ones to a prefix and a hash of the whole, stable and distinct', () => {
    const a = `${'é'.repeat(300)}a`;
    const b = `${'é'.repeat(300)}b`;
    expect(boundedIdentifier(a)).toHaveLength(MAX_IDENTIFIER_LENGTH);
    expect(boundedIdentifier(a)).toMatch(/^é+~[0-9a-f]{16}$/);
    expect(boundedIdentifier(a)).toBe(boundedIdentifier(`${'é'.repeat(300)}a`));
    expect(boundedIdentifier(a)).not.toBe(boundedIdentifier(b));
  });
});

test('a traversal error names the segment and the type, never a value of the body', () => {
  const resolution = resolveJobContextIdentifier('body.api_key.id', {
    body: { api_key: 'sk_live_0123456789' },
    triggered_at: '2026-04-29T16:55:50Z',
  });
  expect(resolution.error).toBe(
    'Unable to determine job context identifier. TypeError: cannot read "id" of a string',
  );
  expect(resolution.error).not.toContain('sk_live');
});
