/**
 * Jest global setup of the integration project: starts an ephemeral Temporal dev server on free ports (never the
 * 7233 and 8233 a developer may be running), with its Web UI, registers the custom search attributes and the 30-day
 * retention through `temporal-dev.sh ensure-search-attributes`, and hands the address to the test workers through
 * `TEMPORAL_ADDRESS` / `TEMPORAL_NAMESPACE`, the Web UI's port through `TEMPORAL_DEV_UI_PORT` (the settings'
 * `temporalUiPort`) and its URL through `TEMPORAL_TEST_UI_URL`.
 *
 * Set `TEMPORAL_TEST_ADDRESS` to run the suite against a server that is already running instead (and
 * `TEMPORAL_TEST_UI_URL` to its Web UI for the Web UI test).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import {
  DEV_SCRIPT,
  TEST_NAMESPACE,
  freePort,
  resolveTemporalCli,
  runDevScript,
  stopDevServerProcess,
  type DevServerHandle,
} from './harness';

/** Where the handle lives between global setup and teardown (same process, separate module registries). */
export const DEV_SERVER_GLOBAL = '__runbookSchedulerTemporalDevServer__';

/** Connection settings that would send the local plaintext server TLS or an API key. */
const CLUSTER_ONLY_VARIABLES = [
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
];

const STARTUP_TIMEOUT_MS = 60_000;

export default async function globalSetup(): Promise<void> {
  const external = process.env.TEMPORAL_TEST_ADDRESS?.trim();
  if (external) {
    process.env.TEMPORAL_ADDRESS = external;
    process.env.TEMPORAL_NAMESPACE ??= TEST_NAMESPACE;
    process.env.RUNBOOK_SCHEDULER_WORKFLOW_TARGETS ??= JSON.stringify({
      '*': [{ taskQueue: 'runbook-wf-*' }],
    });
    process.env.RUNBOOK_SCHEDULER_EGRESS_ALLOW ??= '127.0.0.0/8,::1/128';
    console.log(`\n[integration] using the Temporal server at ${external} (TEMPORAL_TEST_ADDRESS)`);
    return;
  }
  const started = Date.now();
  const cli = resolveTemporalCli();
  const port = await freePort();
  const httpPort = await freePort();
  const uiPort = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-scheduler-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  const logFile = path.join(dir, 'temporal.log');
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ui-ip',
    '127.0.0.1',
    '--ui-port',
    String(uiPort),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(httpPort),
    '--namespace',
    TEST_NAMESPACE,
    '--db-filename',
    dbFile,
    '--log-format',
    'text',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'system.forceSearchAttributesCacheRefreshOnRead=true',
    ...CUSTOM_SEARCH_ATTRIBUTES.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]),
  ];
  const logFd = openSync(logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const handle: DevServerHandle = { pid: child.pid ?? -1, dir, address, logFile, child };
  (globalThis as Record<string, unknown>)[DEV_SERVER_GLOBAL] = handle;
  // A Jest that dies without its teardown must not leave the server behind.
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  try {
    await waitUntilServing(address, child, logFile);
    runDevScript(['ensure-search-attributes'], {
      TEMPORAL_CLI: cli,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
    });
  } catch (error) {
    await stopDevServerProcess(handle);
    throw error;
  }

  for (const name of CLUSTER_ONLY_VARIABLES) delete process.env[name];
  process.env.TEMPORAL_ADDRESS = address;
  process.env.TEMPORAL_NAMESPACE = TEST_NAMESPACE;
  process.env.TEMPORAL_DEV_UI_PORT = String(uiPort);
  process.env.TEMPORAL_TEST_UI_URL = `http://127.0.0.1:${uiPort}`;
  // Tests' runbook workflows run on queues named runbook-wf-<uuid>; an operator allows them this way.
  process.env.RUNBOOK_SCHEDULER_WORKFLOW_TARGETS ??= JSON.stringify({ '*': [{ taskQueue: 'runbook-wf-*' }] });
  // Tests' runbooks listen on loopback, which the egress policy denies by default; the CLI processes the tests
  // start read their settings from the environment, so it is opened here (the server's own ports stay denied).
  process.env.RUNBOOK_SCHEDULER_EGRESS_ALLOW ??= '127.0.0.0/8,::1/128';
  process.env.TEMPORAL_TEST_CLI = cli;
  console.log(
    `\n[integration] Temporal dev server ${address}, Web UI ${process.env.TEMPORAL_TEST_UI_URL} (pid ${handle.pid}, db ${dbFile}) ready in ${Date.now() - started} ms` +
      ` via ${path.basename(DEV_SCRIPT)} ensure-search-attributes`,
  );
}

async function waitUntilServing(
  address: string,
  child: DevServerHandle['child'],
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(
        `temporal server start-dev exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: TEST_NAMESPACE });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(
    `Temporal dev server at ${address} not ready after ${STARTUP_TIMEOUT_MS} ms: ${String(lastError)}`,
  );
}
