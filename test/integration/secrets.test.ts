/**
 * Secrets never in clear (issue 9.5), on a real dev server of this test's own, so its SQLite file can be read: with
 * a codec key set, a schedule whose `request_body` holds a marker secret and whose runbook sends a header with a
 * marker value fires once; the runbook receives both in clear (the worker decrypts), yet neither appears in
 * `temporal workflow show` or `temporal schedule describe` output, nor in the server's database file or its WAL.
 * Through the product's codec endpoint, `temporal workflow show --codec-endpoint` shows them decoded.
 *
 * The same steps without a key (today's behaviour) find the markers in each of those places, so the searches can
 * see a secret in clear where there is one.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { codecEndpointOptionsOf } from '../../src/api/codec-endpoint';
import { startHttpApi, type RunningHttpApi } from '../../src/api/http-api';
import type { CodecKey } from '../../src/config';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import { createDailySchedule, fireNow } from './connector-fixtures';
import {
  freePort,
  resolveTemporalCli,
  runDevScript,
  startHttpReceiver,
  uniqueId,
  waitFor,
  type HttpReceiver,
  type RecordedRequest,
} from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';
import { tokensOf } from '../fixtures/tokens';

jest.setTimeout(180_000);

const run = promisify(execFile);
const NAMESPACE = 'default';
const CODEC_KEY: CodecKey = { id: 'secrets-test', key: randomBytes(32) };
const CODEC_TOKEN = `codec-${randomUUID()}`;
const TENANT_TOKEN = `tenant-${randomUUID()}`;

let dir: string;
let devEnv: Record<string, string>;
let address: string;
let dbFile: string;
let cli: string;
let encrypted: SchedulerFixture | undefined;
let clear: SchedulerFixture | undefined;
let receiver: HttpReceiver | undefined;
let api: RunningHttpApi | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rbs-secrets-'));
  dbFile = path.join(dir, 'temporal.db');
  const port = await freePort();
  address = `127.0.0.1:${port}`;
  cli = resolveTemporalCli();
  devEnv = {
    TEMPORAL_CLI: cli,
    TEMPORAL_DEV_PORT: String(port),
    TEMPORAL_DEV_UI_PORT: String(await freePort()),
    TEMPORAL_DEV_IP: '127.0.0.1',
    TEMPORAL_DEV_HEADLESS: '1',
    TEMPORAL_DEV_DB: dbFile,
    TEMPORAL_DEV_PID_FILE: path.join(dir, 'dev.pid'),
    TEMPORAL_DEV_LOG: path.join(dir, 'dev.log'),
    TEMPORAL_NAMESPACE: NAMESPACE,
  };
  runDevScript(['start'], devEnv);
  encrypted = await startScheduler({ settings: { address, namespace: NAMESPACE, codecKeys: [CODEC_KEY] } });
  clear = await startScheduler({ settings: { address, namespace: NAMESPACE, codecKeys: [] } });
  receiver = await startHttpReceiver();
  const codec = codecEndpointOptionsOf({ ...encrypted.settings, codecToken: CODEC_TOKEN });
  if (!codec) throw new Error('the codec endpoint is not served with a key and a token');
  api = await startHttpApi(encrypted.app.service, tokensOf([[TENANT_TOKEN, 'tenant']]), 0, '127.0.0.1', {
    logger: false,
    codec,
  });
});

afterAll(async () => {
  await api?.close();
  await receiver?.close();
  await encrypted?.close();
  await clear?.close();
  if (devEnv) runDevScript(['stop'], devEnv, { allowFailure: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The markers of one case: a body value and a header value, each unique. */
interface Markers {
  readonly body: string;
  readonly header: string;
}

const newMarkers = (): Markers => ({
  body: `sk_live_body_${randomUUID()}`,
  header: `sk_live_header_${randomUUID()}`,
});

/**
 * The markers a text holds: in clear, or in a base64 string anywhere in it (JSON output prints payload data as
 * base64 unless it can show it as JSON).
 */
function markersIn(text: string, markers: Markers): string[] {
  const texts = readings(text);
  return [markers.body, markers.header].filter((marker) => texts.some((t) => t.includes(marker)));
}

/** The text, and each base64 string in it decoded. */
function readings(text: string): string[] {
  return [
    text,
    ...[...text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)].map((m) =>
      Buffer.from(m[0], 'base64').toString('utf8'),
    ),
  ];
}

/** True when the dev server's SQLite files (the database and its write-ahead log), read as bytes, hold the text. */
function databaseHolds(text: string): boolean {
  return [dbFile, `${dbFile}-wal`].some((file) => existsSync(file) && readFileSync(file).includes(text));
}

/** The markers the dev server's SQLite files hold. */
function markersInDatabase(markers: Markers): string[] {
  return [markers.body, markers.header].filter(databaseHolds);
}

/** Runs the temporal CLI against this test's server, with no codec settings from the environment. */
async function temporal(args: readonly string[]): Promise<string> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('TEMPORAL_CODEC_')) delete env[name];
  const { stdout } = await run(cli, [...args, '--address', address, '--namespace', NAMESPACE, '-o', 'json'], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The ids of a run and of every child workflow it started. */
async function runAndChildren(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  const children = (history.events ?? []).flatMap((event) => {
    const id = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    return id ? [id] : [];
  });
  return [handle.workflowId, ...children];
}

/** Creates a schedule holding the markers, changes its rule (a write of the gateway), fires it once. */
async function fireWithSecrets(
  scheduler: SchedulerFixture,
  markers: Markers,
): Promise<{ scheduleId: string; request: RecordedRequest; workflowIds: string[] }> {
  const solution = uniqueId('sol');
  const reference = uniqueId('secret-ref');
  const target = {
    kind: 'http' as const,
    url: `${receiver?.url ?? ''}/runbook/${reference}`,
    headers: { 'X-Api-Key': markers.header },
  };
  await createDailySchedule(scheduler.app.service, solution, reference, target, {
    requestBody: { tenant_id: 'tenant-7', api_key: markers.body },
    jobContextIdentifierPath: 'body.tenant_id',
  });
  // Update Schedule rewrites the action through the gateway (its input encoded with the client's converter).
  const start = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await scheduler.app.service.updateSchedule(solution, {
    schedule_reference: reference,
    schedule: {
      frequency: 'daily',
      interval: 1,
      time_zone: 'UTC',
      time_of_day: '10:00:00',
      start_date: start,
    },
  });
  const handle = await fireNow(scheduler, solution, reference);
  await handle.result();
  const request = await waitFor(() => receiver?.requests.find((r) => r.path === `/runbook/${reference}`), {
    description: 'the dispatch of the run',
  });
  return {
    scheduleId: scheduleIdFor(solution, reference),
    request,
    workflowIds: await runAndChildren(handle),
  };
}

test('with a key: the runbook gets the secrets, yet neither the CLI nor the database file ever shows them', async () => {
  const markers = newMarkers();
  const { scheduleId, request, workflowIds } = await fireWithSecrets(encrypted as SchedulerFixture, markers);

  // The worker decrypted them: the runbook receives the real body and header.
  expect(request.body).toMatchObject({ body: { tenant_id: 'tenant-7', api_key: markers.body } });
  expect(request.headers['x-api-key']).toBe(markers.header);
  // The run and its child dispatch workflow (the job context identifier correlates it).
  expect(workflowIds).toHaveLength(2);

  for (const workflowId of workflowIds) {
    const shown = await temporal(['workflow', 'show', '--workflow-id', workflowId]);
    // The payloads are there, as ciphertext.
    expect(readings(shown).some((t) => t.includes('binary/encrypted'))).toBe(true);
    expect(markersIn(shown, markers)).toEqual([]);
  }
  const described = await temporal(['schedule', 'describe', '--schedule-id', scheduleId]);
  expect(described).toContain(scheduleId);
  expect(markersIn(described, markers)).toEqual([]);

  // The server wrote the run: its workflow ids are in its files, the secrets are not, in the database nor its WAL.
  await waitFor(() => workflowIds.every(databaseHolds), {
    description: 'the run in the database file',
  });
  expect(markersInDatabase(markers)).toEqual([]);

  // Operators who point the CLI at the codec endpoint see them decoded.
  const endpoint = `http://127.0.0.1:${api?.port ?? 0}/v1/codec`;
  const decoded = await temporal([
    'workflow',
    'show',
    '--workflow-id',
    workflowIds[0] as string,
    '--codec-endpoint',
    endpoint,
    '--codec-auth',
    `Bearer ${CODEC_TOKEN}`,
  ]);
  expect(markersIn(decoded, markers).sort()).toEqual([markers.body, markers.header].sort());
  const decodedSchedule = await temporal([
    'schedule',
    'describe',
    '--schedule-id',
    scheduleId,
    '--codec-endpoint',
    endpoint,
    '--codec-auth',
    `Bearer ${CODEC_TOKEN}`,
  ]);
  expect(markersIn(decodedSchedule, markers).sort()).toEqual([markers.body, markers.header].sort());

  // The endpoint takes the codec token only: the run's input, as stored, is refused to a tenant's API token.
  const history = JSON.parse(
    await temporal(['workflow', 'show', '--workflow-id', workflowIds[0] as string]),
  ) as {
    events: { workflowExecutionStartedEventAttributes?: { input?: { payloads?: unknown[] } } }[];
  };
  const stored = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  expect(stored).toHaveLength(1);
  const decode = (authorization: string) =>
    fetch(`${endpoint}/decode`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'x-namespace': NAMESPACE },
      body: JSON.stringify({ payloads: stored }),
    });
  const asTenant = await decode(`Bearer ${TENANT_TOKEN}`);
  expect(asTenant.status).toBe(401);
  expect(markersIn(await asTenant.text(), markers)).toEqual([]);
  const asOperator = await decode(`Bearer ${CODEC_TOKEN}`);
  expect(asOperator.status).toBe(200);
  expect(markersIn(await asOperator.text(), markers).sort()).toEqual([markers.body, markers.header].sort());
});

test('without a key (today’s behaviour) the same searches find both secrets in clear', async () => {
  const markers = newMarkers();
  const { scheduleId, request, workflowIds } = await fireWithSecrets(clear as SchedulerFixture, markers);
  expect(request.headers['x-api-key']).toBe(markers.header);

  const shown = await temporal(['workflow', 'show', '--workflow-id', workflowIds[0] as string]);
  expect(markersIn(shown, markers).sort()).toEqual([markers.body, markers.header].sort());
  const described = await temporal(['schedule', 'describe', '--schedule-id', scheduleId]);
  expect(markersIn(described, markers).sort()).toEqual([markers.body, markers.header].sort());
  await waitFor(() => markersInDatabase(markers).length === 2, {
    description: 'the secrets in the database file',
  });
});
