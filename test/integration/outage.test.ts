/**
 * Outages are not input errors (issue 8, item 4): when Temporal stops answering, every call says so with 503
 * `Temporal is unavailable: <cause>`, never 422, and nothing is stored; once it answers again, the same calls
 * succeed. Temporal is reached through a TCP relay the test can cut, as a network partition would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import { startHttpApi, type RunningHttpApi } from '../../src/api/http-api';
import { TriggerTemplate } from '../../src/catalog/model';
import { freePort, testSettings, uniqueId, waitFor } from './harness';
import { tokensOf } from '../fixtures/tokens';

jest.setTimeout(300_000);

/** A TCP relay to the dev server that can be cut (listener closed, open connections destroyed) and restored. */
async function startRelay(target: string) {
  const host = target.replace(/:\d+$/, '');
  const targetPort = Number(/:(\d+)$/.exec(target)?.[1]);
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((socket) => {
        const upstream = net.connect(targetPort, host);
        for (const s of [socket, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        socket.pipe(upstream).pipe(socket);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  await open();
  return {
    address: `127.0.0.1:${port}`,
    cut: async () => {
      const closing = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        if (!closing) return resolve();
        closing.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    /** Listens again, unless it still listens. */
    restore: async () => {
      if (!server) await open();
    },
    close: async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.destroy();
    },
  };
}

const token = 'outage-token';
let relay: Awaited<ReturnType<typeof startRelay>>;
let app: App;
let api: RunningHttpApi;
let dataDir: string;
const solution = uniqueId('sol');

beforeAll(async () => {
  relay = await startRelay(testSettings().address);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rbs-outage-'));
  app = await createApp({ ...testSettings(), address: relay.address, taskQueue: uniqueId('idle'), dataDir });
  api = await startHttpApi(app.service, tokensOf([[token, solution]]), 0);
});

afterAll(async () => {
  await api?.close();
  await app?.close();
  await relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, route: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${api.port}/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('while Temporal is unreachable: 503 with the cause, nothing stored; afterwards the same calls succeed', async () => {
  const dynamicUuid = '2f0c7e5e-2c43-4d55-9d47-7b0d7e7f6a01';
  const registered = await call('POST', '/runbooks', {
    uuid: dynamicUuid,
    name: 'worker',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  });
  expect(registered.status).toBe(200);
  const reference = uniqueId('daily');
  const create = {
    runbook_uuid: dynamicUuid,
    schedule_reference: reference,
    schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '09:00' },
  };
  const schedulerRunbook = {
    uuid: '2f0c7e5e-2c43-4d55-9d47-7b0d7e7f6a02',
    name: 'nightly',
    trigger: {
      template: TriggerTemplate.Scheduler,
      schedule: { frequency: 'daily', interval: 1, time_zone: 'UTC', time_of_day: '02:00' },
    },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  };

  await relay.cut();
  const createdWhileDown = await call('POST', '/schedules', create);
  expect(createdWhileDown).toEqual({
    status: 503,
    json: { error: 'Temporal is unavailable: the server did not answer' },
  });
  const registeredWhileDown = await call('POST', '/runbooks', schedulerRunbook);
  expect(registeredWhileDown.status).toBe(503);
  expect(registeredWhileDown.json.error).toMatch(/^Temporal is unavailable: /);
  // Nothing of the refused registration is in the catalog.
  expect(await app.catalog.get(solution, schedulerRunbook.uuid)).toBeUndefined();

  await relay.restore();
  // The client's channel reconnects with a backoff of its own: the first calls after the outage may still be
  // refused as unavailable (and never reach the server), so the caller retries, as a caller of a 503 would.
  await waitFor(async () => (await call('POST', '/schedules', create)).status === 201, {
    timeoutMs: 150_000,
    intervalMs: 1_000,
    description: 'Create Schedule once Temporal answers again',
  });
  expect((await call('POST', '/runbooks', schedulerRunbook)).status).toBe(200);
  expect((await call('GET', `/schedules/${reference}`)).json.schedule_reference).toBe(reference);
  await call('DELETE', `/schedules/${reference}`);
  await app.service.removeRunbook(solution, schedulerRunbook.uuid);
});
