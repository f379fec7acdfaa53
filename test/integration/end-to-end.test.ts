/**
 * The whole path once on the real dev server (issue 2): a schedule created through the project's own API is
 * fired by Temporal, a workflow run dispatches the runbook over HTTP, and the runbook receives the documented
 * body (FEATURES.md A3) with its Idempotency-Key (F4). The schedule is visible to `temporal schedule list`.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { TriggerTemplate } from '../../src/catalog/model';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { startHttpReceiver, uniqueId, waitFor, type HttpReceiver } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(120_000);

let scheduler: SchedulerFixture;
let receiver: HttpReceiver;

beforeAll(async () => {
  scheduler = await startScheduler();
  receiver = await startHttpReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await scheduler?.close();
});

function utcParts(instant: Date): { start_date: string; time_of_day: string } {
  const iso = instant.toISOString();
  return { start_date: iso.slice(0, 10), time_of_day: iso.slice(11, 19) };
}

test('a no_repeat schedule fires once and the runbook receives the exact A3 body', async () => {
  const solution = uniqueId('sol');
  const reference = uniqueId('tenant-42-once');
  const runbookUuid = randomUUID();
  await scheduler.app.service.registerRunbook({
    uuid: runbookUuid,
    solution,
    name: 'worker runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler, job_context_identifier_path: 'body.tenant_id' },
    target: { kind: 'http', url: `${receiver.url}/runbook` },
  });
  const fireAt = new Date(Math.ceil((Date.now() + 5_000) / 1000) * 1000);
  try {
    const created = await scheduler.app.service.createSchedule(solution, {
      runbook_uuid: runbookUuid,
      schedule_reference: reference,
      schedule: { frequency: 'no_repeat', time_zone: 'UTC', ...utcParts(fireAt) },
      request_body: { tenant_id: '42', schedule_reference: 'overridden by the platform' },
    });
    expect(created).toEqual({
      schedule_reference: reference,
      next_occurrence_at: fireAt.toISOString().replace('.000Z', 'Z'),
      next_occurrence_errors: null,
    });

    const [request] = await receiver.waitForRequests(1, 60_000);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/runbook');
    expect(request?.body).toEqual({
      body: { tenant_id: '42', schedule_reference: reference },
      triggered_at: fireAt.toISOString().replace('.000Z', 'Z'),
    });
    expect(request?.headers['content-type']).toBe('application/json');
    const scheduleId = scheduleIdFor(solution, reference);
    expect(request?.headers['idempotency-key']).toMatch(
      new RegExp(`^${scheduleId}/\\d{8}T\\d{6}Z-[0-9a-f]{8}/${fireAt.toISOString().replace('.000Z', 'Z')}$`),
    );
    expect(request?.headers['x-job-context-identifier']).toBe('42');

    // Operators see it with the Temporal CLI: readable id, memo and search attributes.
    const cli = process.env.TEMPORAL_TEST_CLI;
    expect(cli).toBeTruthy();
    const listed = await waitFor(
      () => {
        const out = execFileSync(
          cli as string,
          [
            'schedule',
            'list',
            '--address',
            scheduler.settings.address,
            '--namespace',
            scheduler.settings.namespace,
            '-o',
            'json',
          ],
          { encoding: 'utf8' },
        );
        const entries = JSON.parse(out) as Array<Record<string, unknown>>;
        return entries.find((e) => e.scheduleId === scheduleId);
      },
      { timeoutMs: 30_000, description: 'schedule listed by the temporal CLI' },
    );
    const decode = (fields: unknown): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(fields as Record<string, { data: string }>).map(([k, v]) => [
          k,
          JSON.parse(Buffer.from(v.data, 'base64').toString('utf8')),
        ]),
      );
    const entry = listed as { memo: { fields: unknown }; searchAttributes: { indexedFields: unknown } };
    expect(decode(entry.searchAttributes.indexedFields)).toEqual({
      RunbookSolution: solution,
      RunbookReference: reference,
      RunbookUuid: runbookUuid,
      RunbookGeneration: expect.stringMatching(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/) as unknown,
      // The rule as List Schedules serves it without a describe: JSON text, rewritten on every update.
      RunbookRecurrence: expect.stringContaining('"frequency":"no_repeat"') as unknown,
    });
    expect(decode(entry.memo.fields)).toMatchObject({
      product: 'runbook-scheduler',
      kind: 'dynamic_scheduler',
      solution,
      reference,
      runbookUuid,
    });
  } finally {
    await scheduler.app.service.deleteSchedule(solution, { schedule_reference: reference });
  }
});
