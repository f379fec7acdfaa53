/**
 * Proves the integration harness and `temporal-dev.sh` (FEATURES.md E3): the test server answers with the custom
 * search attributes and a 30-day retention, and the script's server keeps its SQLite state (schedules, namespace
 * settings) across a restart while re-registering the search attributes on the existing database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import {
  NAMESPACE_RETENTION_SECONDS,
  connectTestClient,
  freePort,
  runDevScript,
  startHttpReceiver,
  testSettings,
  uniqueId,
  waitFor,
  type TestClient,
} from './harness';

const INDEXED_TYPE: Record<string, number> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
};

async function registeredAttributes(t: TestClient): Promise<Record<string, number>> {
  const { customAttributes } = await t.connection.operatorService.listSearchAttributes({
    namespace: t.settings.namespace,
  });
  return Object.fromEntries(
    Object.entries(customAttributes ?? {}).map(([name, type]) => [name, Number(type)]),
  );
}

async function retentionSeconds(t: TestClient): Promise<number> {
  const { config } = await t.connection.workflowService.describeNamespace({
    namespace: t.settings.namespace,
  });
  return Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0);
}

// Every attribute with the type it is declared with (Keyword, but Text for RunbookRecurrence).
const expectedAttributes = Object.fromEntries(
  CUSTOM_SEARCH_ATTRIBUTES.map(({ name, type }) => [name, INDEXED_TYPE[type]]),
);

describe('integration harness', () => {
  let t: TestClient;
  beforeAll(async () => {
    t = await connectTestClient();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('points the tests at a local server on a free port, never the default 7233', () => {
    const { address, namespace } = testSettings();
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    if (!process.env.TEMPORAL_TEST_ADDRESS) expect(address).not.toBe('127.0.0.1:7233');
    expect(namespace).toBe('default');
  });

  it('reaches a serving Temporal frontend', async () => {
    const info = await t.connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    const { namespaceInfo } = await t.connection.workflowService.describeNamespace({
      namespace: t.settings.namespace,
    });
    expect(namespaceInfo?.name).toBe(t.settings.namespace);
  });

  it('has every custom search attribute registered with its type', async () => {
    expect(await registeredAttributes(t)).toMatchObject(expectedAttributes);
  });

  it('keeps closed workflows for 30 days', async () => {
    expect(await retentionSeconds(t)).toBe(NAMESPACE_RETENTION_SECONDS);
  });

  it('gives unique ids', () => {
    expect(uniqueId('x')).toMatch(/^x-[0-9a-f-]{36}$/);
    expect(uniqueId('x')).not.toBe(uniqueId('x'));
  });

  it('polls until a condition holds, retrying failed assertions', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        expect(calls).toBeGreaterThanOrEqual(3);
        return calls;
      },
      { intervalMs: 10 },
    );
    expect(value).toBe(3);
    await expect(
      waitFor(() => false, { timeoutMs: 50, intervalMs: 10, description: 'never' }),
    ).rejects.toThrow('waitFor(never) timed out after 50 ms');
  });

  it('records HTTP requests and answers with scripted statuses', async () => {
    const receiver = await startHttpReceiver();
    try {
      receiver.script(503, { status: 201, body: { id: 7 } });
      const post = (n: number) =>
        fetch(`${receiver.url}/hooks/run?n=${n}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `k${n}` },
          body: JSON.stringify({ n }),
        });
      const statuses = [];
      for (const n of [1, 2, 3]) statuses.push((await post(n)).status);
      expect(statuses).toEqual([503, 201, 200]);
      const requests = await receiver.waitForRequests(3);
      expect(requests.map((r) => [r.method, r.path, r.headers['idempotency-key'], r.body])).toEqual([
        ['POST', '/hooks/run?n=1', 'k1', { n: 1 }],
        ['POST', '/hooks/run?n=2', 'k2', { n: 2 }],
        ['POST', '/hooks/run?n=3', 'k3', { n: 3 }],
      ]);
      await expect(receiver.waitForRequests(4, 50)).rejects.toThrow(
        'expected 4 HTTP requests within 50 ms, got 3',
      );
    } finally {
      await receiver.close();
    }
  });
});

describe('temporal-dev.sh', () => {
  it('starts a persistent server, keeps its state across a restart and re-registers the search attributes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-scheduler-dev-script-'));
    const port = await freePort();
    const env: Record<string, string> = {
      TEMPORAL_DEV_PORT: String(port),
      TEMPORAL_DEV_UI_PORT: String(await freePort()),
      TEMPORAL_DEV_IP: '127.0.0.1',
      TEMPORAL_DEV_HEADLESS: '1',
      TEMPORAL_DEV_DB: path.join(dir, 'dev.db'),
      TEMPORAL_DEV_PID_FILE: path.join(dir, 'dev.pid'),
      TEMPORAL_DEV_LOG: path.join(dir, 'dev.log'),
      TEMPORAL_NAMESPACE: 'default',
      ...(process.env.TEMPORAL_TEST_CLI ? { TEMPORAL_CLI: process.env.TEMPORAL_TEST_CLI } : {}),
    };
    const settings = { ...testSettings(), address: `127.0.0.1:${port}`, namespace: 'default' };
    const removed = CUSTOM_SEARCH_ATTRIBUTES[CUSTOM_SEARCH_ATTRIBUTES.length - 1]!.name;
    const description = uniqueId('survives-restart');
    const scheduleId = uniqueId('dev-script-schedule');
    let t: TestClient | undefined;
    try {
      expect(runDevScript(['status'], env, { allowFailure: true }).status).toBe(3);
      const started = runDevScript(['start'], env);
      expect(started.stdout).toContain(`address:   127.0.0.1:${port}`);
      const status = runDevScript(['status'], env);
      expect(status.stdout).toContain('Temporal dev server running');
      expect(status.stdout).toContain(env.TEMPORAL_DEV_DB);

      t = await connectTestClient(settings);
      expect(await registeredAttributes(t)).toMatchObject(expectedAttributes);
      expect(await retentionSeconds(t)).toBe(NAMESPACE_RETENTION_SECONDS);
      // State that must survive the restart, and an attribute that only re-registration can bring back.
      await t.connection.workflowService.updateNamespace({
        namespace: 'default',
        updateInfo: { description },
      });
      await t.client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1h' }] },
        action: {
          type: 'startWorkflow',
          workflowType: 'noop',
          taskQueue: uniqueId('dev-script-queue'),
          args: [],
        },
        state: { paused: true },
      });
      await t.connection.operatorService.removeSearchAttributes({
        namespace: 'default',
        searchAttributes: [removed],
      });
      await waitFor(async () => !(removed in (await registeredAttributes(t!))), {
        description: `${removed} removed`,
      });
      await t.close();
      t = undefined;

      expect(runDevScript(['stop'], env).stdout).toContain('stopped');
      expect(runDevScript(['status'], env, { allowFailure: true }).status).toBe(3);
      expect(runDevScript(['stop'], env).status).toBe(0);

      runDevScript(['start'], env);
      t = await connectTestClient(settings);
      expect(await registeredAttributes(t)).toMatchObject(expectedAttributes);
      expect(await retentionSeconds(t)).toBe(NAMESPACE_RETENTION_SECONDS);
      const { namespaceInfo } = await t.connection.workflowService.describeNamespace({
        namespace: 'default',
      });
      expect(namespaceInfo?.description).toBe(description);
      const schedule = await t.client.schedule.getHandle(scheduleId).describe();
      expect(schedule.state.paused).toBe(true);
    } finally {
      await t?.close();
      runDevScript(['stop'], env, { allowFailure: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
