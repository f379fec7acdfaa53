/** The dispatched body (FEATURES.md A3) and its Idempotency-Key (F4). */
import { buildDispatchPayload, formatUtcSeconds, idempotencyKey } from '../../../src/dispatch/payload';

const AT = new Date('2026-04-29T09:00:00.000Z');

describe('buildDispatchPayload', () => {
  it('merges request_body, the platform reference winning over a key of the same name', () => {
    expect(
      buildDispatchPayload({ tenant_id: '42', schedule_reference: 'mine' }, 'tenant-42-daily', AT),
    ).toEqual({
      body: { tenant_id: '42', schedule_reference: 'tenant-42-daily' },
      triggered_at: '2026-04-29T09:00:00Z',
    });
  });

  it('carries only the reference without a request_body', () => {
    expect(buildDispatchPayload(undefined, 'ref', AT)).toEqual({
      body: { schedule_reference: 'ref' },
      triggered_at: '2026-04-29T09:00:00Z',
    });
  });

  it('formats triggered_at as YYYY-MM-DDTHH:MM:SSZ, truncating milliseconds', () => {
    const { triggered_at } = buildDispatchPayload({}, 'ref', new Date('2026-01-02T03:04:05.999Z'));
    expect(triggered_at).toBe('2026-01-02T03:04:05Z');
    expect(triggered_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(formatUtcSeconds(new Date('1999-12-31T23:59:59.001Z'))).toBe('1999-12-31T23:59:59Z');
  });

  it('carries the parameters in force and the submitting user beside the A3 fields, which are unchanged', () => {
    expect(
      buildDispatchPayload({ a: 1 }, 'ref', AT, { parameters: { region: 'eu' }, submittedBy: 'alice' }),
    ).toEqual({
      body: { a: 1, schedule_reference: 'ref' },
      triggered_at: '2026-04-29T09:00:00Z',
      parameters: { region: 'eu' },
      submitted_by: 'alice',
    });
  });

  it('leaves parameters and submitted_by out when the run has none', () => {
    const payload = buildDispatchPayload({}, 'ref', AT, { parameters: undefined, submittedBy: undefined });
    expect(Object.keys(payload)).toEqual(['body', 'triggered_at']);
  });

  it('does not mutate request_body', () => {
    const body = { tenant_id: '42', schedule_reference: 'mine', nested: { a: [1, 2] } };
    const before = structuredClone(body);
    const payload = buildDispatchPayload(body, 'ref', AT);
    expect(body).toEqual(before);
    expect(payload.body).not.toBe(body);
  });
});

describe('idempotencyKey', () => {
  const scheduleId = 'rbs:sol-1:tenant-42-daily';
  const generation = '20260101T000000Z-0123abcd';

  it('is stable for the same occurrence (every retry sends the same key)', () => {
    expect(idempotencyKey(scheduleId, generation, AT)).toBe(
      idempotencyKey(scheduleId, generation, new Date(AT.getTime())),
    );
    expect(idempotencyKey(scheduleId, generation, AT)).toBe(
      'rbs:sol-1:tenant-42-daily/20260101T000000Z-0123abcd/2026-04-29T09:00:00Z',
    );
  });

  it('differs across generations and occurrences', () => {
    const keys = new Set([
      idempotencyKey(scheduleId, generation, AT),
      idempotencyKey(scheduleId, '20260102T000000Z-89abcdef', AT),
      idempotencyKey(scheduleId, generation, new Date(AT.getTime() + 1000)),
      idempotencyKey('rbs:sol-2:tenant-42-daily', generation, AT),
    ]);
    expect(keys.size).toBe(4);
  });

  it('is a valid header value (visible ASCII) for free-text references', () => {
    const key = idempotencyKey('rbs:sol:café 42\n', generation, AT);
    expect(key).toMatch(/^[\x21-\x7e]+$/);
    expect(key).toBe(`rbs:sol:caf%C3%A9%2042%0A/${generation}/2026-04-29T09:00:00Z`);
  });
});
