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
import path from 'node:path';
import { startDevServer } from '../fixtures/dev-server';
import { DEV_SCRIPT, TEST_NAMESPACE, resolveTemporalCli } from './harness';

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
  const server = await startDevServer({ ui: true });
  (globalThis as Record<string, unknown>)[DEV_SERVER_GLOBAL] = server;
  const { address, uiPort } = server;
  const cli = resolveTemporalCli();

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
    `\n[integration] Temporal dev server ${address}, Web UI ${process.env.TEMPORAL_TEST_UI_URL} (pid ${server.pid}, db ${server.dbFile}) ready in ${Date.now() - started} ms` +
      ` via ${path.basename(DEV_SCRIPT)} ensure-search-attributes`,
  );
}
