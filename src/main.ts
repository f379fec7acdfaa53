/**
 * The main job (`npm start`): makes sure Temporal is reachable (starting the embedded dev server when the
 * address is local and nothing answers), runs the worker and the HTTP API, registers a demo runbook whose
 * Scheduler trigger fires every minute, and logs each dispatch the demo runbook receives. Ctrl-C stops it.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { createApp } from './app';
import { TriggerTemplate } from './catalog/model';
import { childEnvironment, isLocalAddress, loadSettings, portOf, type Settings } from './config';
import { codecEndpointOptionsOf } from './api/codec-endpoint';
import { apiTokensFor, DEMO_SOLUTION, DEMO_TOKEN } from './api/auth';
import { startHttpApi } from './api/http-api';
import { codecWarningOf } from './temporal/codec';
import { connectWorker, ensureSearchAttributes, isReachable } from './temporal/connection';
import { createSchedulerWorker, ensureSweepSchedule } from './worker';

/** Uuid of the demo runbook registered by the main job. */
export const DEMO_RUNBOOK_UUID = '00000000-0000-4000-8000-00000000de00';

async function ensureServer(settings: Settings): Promise<void> {
  if (await isReachable(settings)) {
    console.log(`Temporal is reachable at ${settings.address} (namespace ${settings.namespace})`);
    return;
  }
  if (!isLocalAddress(settings.address)) {
    throw new Error(
      `Temporal is not reachable at ${settings.address}; check TEMPORAL_ADDRESS and TLS settings`,
    );
  }
  console.log(`Nothing answers at ${settings.address}: starting the embedded Temporal dev server...`);
  const script = path.join(__dirname, '..', 'temporal-dev.sh');
  const { stdout } = await promisify(execFile)(script, ['start'], {
    // The script reads its own TEMPORAL_DEV_* settings; these two follow the product's.
    env: childEnvironment({
      TEMPORAL_DEV_PORT: String(portOf(settings.address)),
      TEMPORAL_NAMESPACE: settings.namespace,
    }),
    maxBuffer: 10 * 1024 * 1024,
  });
  process.stdout.write(stdout);
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A stand-in runbook endpoint that logs each fire in a line a person can read. */
async function startDemoRunbook(demoPort: number): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let summary = text;
      try {
        const body = JSON.parse(text) as { body?: Record<string, unknown>; triggered_at?: string };
        summary = `triggered_at=${body.triggered_at ?? '?'} body=${JSON.stringify(body.body)}`;
      } catch {
        // Not JSON: log it as received.
      }
      console.log(
        `[demo runbook] fire received: ${summary} idempotency-key=${String(req.headers['idempotency-key'])}`,
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  // A fixed port, so fires that a previous run's schedule catches up on after an outage still reach a listener.
  try {
    await listen(server, demoPort);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    console.log(`Port ${demoPort} is taken; the demo runbook listens on a free port instead`);
    await listen(server, 0);
  }
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/runbooks/demo` };
}

/**
 * One readable line per log entry: workflow milestones and warnings, without the SDK's bundler chatter.
 * `RUNBOOK_SCHEDULER_LOG_LEVEL=DEBUG` shows everything.
 */
function installReadableLogger(level: Settings['logLevel']): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry: LogEntry) => {
      const meta = entry.meta ?? {};
      const component = meta.sdkComponent as string | undefined;
      if (level !== 'DEBUG' && component === 'worker' && entry.level === 'INFO') return;
      const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
      const about = (meta.workflowId as string | undefined) ?? (meta.scheduleId as string | undefined) ?? '';
      console.log(`${time} ${entry.level.padEnd(5)} ${entry.message}${about ? ` [${about}]` : ''}`);
    }),
  });
}

async function run(): Promise<void> {
  const loaded = loadSettings();
  // The demo runbook listens on loopback: with no ranges configured and a local Temporal, open loopback for it
  // (Temporal, its Web UI and the API stay denied whatever is open).
  const demoEgress = loaded.egressAllow.length === 0 && isLocalAddress(loaded.address);
  const settings = demoEgress ? { ...loaded, egressAllow: ['127.0.0.0/8', '::1/128'] } : loaded;
  installReadableLogger(settings.logLevel);
  const codecWarning = codecWarningOf(settings);
  if (codecWarning) console.warn(codecWarning);
  const codec = codecEndpointOptionsOf(settings);
  const tokens = apiTokensFor(settings);
  await ensureServer(settings);
  const app = await createApp(settings);
  const added = await ensureSearchAttributes(app.client);
  if (added.length > 0) console.log(`Registered search attributes: ${added.join(', ')}`);

  const connection = await connectWorker(settings);
  const worker = await createSchedulerWorker({ settings, client: app.client, connection });
  const demo = await startDemoRunbook(settings.demoPort);
  const api = await startHttpApi(app.service, tokens, settings.httpPort, settings.httpHost, {
    rateLimitPerMinute: settings.rateLimitPerMinute,
    workspace: app.workspace,
    nodes: app.nodes,
    operations: app.operations,
    instances: app.instances,
    ...(codec ? { codec } : {}),
  });

  const runbook = await app.service.registerRunbook({
    uuid: DEMO_RUNBOOK_UUID,
    solution: DEMO_SOLUTION,
    name: 'Demo runbook',
    trigger: {
      template: TriggerTemplate.Scheduler,
      schedule: { frequency: 'minutely', interval: 1, time_zone: 'UTC' },
      request_body: { source: 'scheduler', demo: true },
    },
    target: { kind: 'http', url: demo.url },
  });
  const reference =
    runbook.trigger.template === TriggerTemplate.Scheduler ? runbook.trigger.schedule_reference : '';
  console.log(`Worker polling task queue "${settings.taskQueue}" on ${settings.address}`);
  if (demoEgress) {
    console.log(
      'Egress: loopback (127.0.0.0/8, ::1) is open for the demo runbook; set RUNBOOK_SCHEDULER_EGRESS_ALLOW to choose the ranges',
    );
  }
  console.log(
    `HTTP API on http://${settings.httpHost}:${api.port}/v1 (${
      settings.apiTokens
        ? 'tokens of RUNBOOK_SCHEDULER_API_TOKENS'
        : `demo token "${DEMO_TOKEN}", loopback only`
    })`,
  );
  if (codec) {
    console.log(
      `Codec endpoint for the Temporal Web UI and CLI: http://${settings.httpHost}:${api.port}/v1/codec (${
        codec.token ? 'bearer token of RUNBOOK_SCHEDULER_CODEC_TOKEN' : 'no token, loopback callers only'
      })`,
    );
  }
  console.log(
    `Demo schedule "${reference}" fires every minute; Temporal Web UI: http://localhost:8233/schedules`,
  );
  console.log('Press Ctrl-C to stop.');

  const stop = () => {
    console.log('Stopping...');
    worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await Promise.all([worker.run(), ensureSweepSchedule(app.client, settings)]);
  await app.service.deprovision(runbook);
  demo.server.close();
  await api.close();
  await connection.close();
  await app.close();
  console.log('Stopped.');
}

run().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
