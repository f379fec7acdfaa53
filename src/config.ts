/**
 * Connection and deployment settings, read from the environment in one place.
 *
 * Nothing else in the project hard-codes a Temporal address, namespace or task queue: every entry point calls
 * {@link loadSettings} and passes the result down.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DISPATCH_RETRY, type DispatchRetryPolicy } from './temporal/run-input';

/**
 * TLS to a Temporal cluster: server TLS (system roots or a CA bundle), optionally with an mTLS client
 * certificate. Enabled by `TEMPORAL_TLS=true` or by any of the `TEMPORAL_TLS_*` paths or the server name.
 */
export interface TlsSettings {
  /** Path of the PEM client certificate (`TEMPORAL_TLS_CERT`), for mTLS. */
  readonly clientCertPath?: string;
  /** Path of the PEM client private key (`TEMPORAL_TLS_KEY`), for mTLS. */
  readonly clientKeyPath?: string;
  /** Path of a PEM CA bundle to trust instead of the system roots (`TEMPORAL_TLS_CA`). */
  readonly serverRootCaPath?: string;
  /** Server name to verify, when it differs from the address host (`TEMPORAL_TLS_SERVER_NAME`). */
  readonly serverNameOverride?: string;
}

/** Everything an entry point needs to reach Temporal and run the scheduler. */
export interface Settings {
  /** gRPC address of the Temporal frontend. @default `localhost:7233` (the embedded dev server) */
  readonly address: string;
  /** Temporal namespace. @default `default` */
  readonly namespace: string;
  /** Task queue the scheduler's worker polls. @default `runbook-scheduler` */
  readonly taskQueue: string;
  /** TLS settings; absent for the plaintext embedded dev server. */
  readonly tls?: TlsSettings;
  /** API key for Temporal Cloud style authentication (`TEMPORAL_API_KEY`). */
  readonly apiKey?: string;
  /** Directory of the scheduler's own data (the runbook catalog). @default `.runbook-scheduler` */
  readonly dataDir: string;
  /** Zone used when a recurrence omits `time_zone` where one is required; unset means "required". */
  readonly defaultTimeZone?: string;
  /** Durable retries of a dispatch (network errors, 5xx, 429). @default {@link DEFAULT_DISPATCH_RETRY} */
  readonly dispatchRetry: DispatchRetryPolicy;
}

/** Default gRPC address: the embedded dev server started by `temporal-dev.sh`. */
export const DEFAULT_ADDRESS = 'localhost:7233';
/** Default namespace of the embedded dev server. */
export const DEFAULT_NAMESPACE = 'default';
/** Default task queue of the scheduler worker. */
export const DEFAULT_TASK_QUEUE = 'runbook-scheduler';

/**
 * Reads the settings from an environment (default `process.env`).
 *
 * Variables: `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_TASK_QUEUE`, `TEMPORAL_TLS`, `TEMPORAL_TLS_CERT`,
 * `TEMPORAL_TLS_KEY`, `TEMPORAL_TLS_CA`, `TEMPORAL_TLS_SERVER_NAME`, `TEMPORAL_API_KEY`,
 * `RUNBOOK_SCHEDULER_DATA_DIR`, `RUNBOOK_SCHEDULER_DEFAULT_TIME_ZONE`, and the dispatch retry policy
 * `RUNBOOK_DISPATCH_MAX_ATTEMPTS`, `RUNBOOK_DISPATCH_INITIAL_INTERVAL_MS`, `RUNBOOK_DISPATCH_BACKOFF`,
 * `RUNBOOK_DISPATCH_MAX_INTERVAL_MS`.
 *
 * @throws {@link SettingsError} when only one of the TLS certificate and key is given, or a number is malformed.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const cert = value('TEMPORAL_TLS_CERT');
  const key = value('TEMPORAL_TLS_KEY');
  if ((cert === undefined) !== (key === undefined)) {
    throw new SettingsError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be given together');
  }
  const ca = value('TEMPORAL_TLS_CA');
  const serverName = value('TEMPORAL_TLS_SERVER_NAME');
  const tlsFlag = value('TEMPORAL_TLS')?.toLowerCase();
  if (tlsFlag !== undefined && !['true', 'false', '1', '0'].includes(tlsFlag)) {
    throw new SettingsError(`TEMPORAL_TLS must be true or false, got "${value('TEMPORAL_TLS')}"`);
  }
  const tlsOff = tlsFlag === 'false' || tlsFlag === '0';
  const wantsTls = tlsFlag === 'true' || tlsFlag === '1' || Boolean(cert || ca || serverName);
  if (tlsOff && (cert || ca || serverName)) {
    throw new SettingsError(
      'TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CERT, TEMPORAL_TLS_CA or TEMPORAL_TLS_SERVER_NAME',
    );
  }
  // Server TLS alone (system roots or a CA) is a cluster setup too, not only mTLS: a CA or server name without a
  // client certificate must not fall back to plaintext.
  const tls: TlsSettings | undefined = wantsTls
    ? {
        ...(cert && key ? { clientCertPath: cert, clientKeyPath: key } : {}),
        ...(ca ? { serverRootCaPath: ca } : {}),
        ...(serverName ? { serverNameOverride: serverName } : {}),
      }
    : undefined;
  const number = (name: string, fallback: number, min: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min)
      throw new SettingsError(`${name} must be a number >= ${min}, got "${text}"`);
    return n;
  };
  const dispatchRetry: DispatchRetryPolicy = {
    maximumAttempts: Math.floor(
      number('RUNBOOK_DISPATCH_MAX_ATTEMPTS', DEFAULT_DISPATCH_RETRY.maximumAttempts, 1),
    ),
    initialIntervalMs: number(
      'RUNBOOK_DISPATCH_INITIAL_INTERVAL_MS',
      DEFAULT_DISPATCH_RETRY.initialIntervalMs,
      1,
    ),
    backoffCoefficient: number('RUNBOOK_DISPATCH_BACKOFF', DEFAULT_DISPATCH_RETRY.backoffCoefficient, 1),
    maximumIntervalMs: number(
      'RUNBOOK_DISPATCH_MAX_INTERVAL_MS',
      DEFAULT_DISPATCH_RETRY.maximumIntervalMs,
      1,
    ),
  };
  const apiKey = value('TEMPORAL_API_KEY');
  const defaultTimeZone = value('RUNBOOK_SCHEDULER_DEFAULT_TIME_ZONE');
  return {
    address: value('TEMPORAL_ADDRESS') ?? DEFAULT_ADDRESS,
    namespace: value('TEMPORAL_NAMESPACE') ?? DEFAULT_NAMESPACE,
    taskQueue: value('TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    dataDir: path.resolve(value('RUNBOOK_SCHEDULER_DATA_DIR') ?? '.runbook-scheduler'),
    dispatchRetry,
    ...(tls ? { tls } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(defaultTimeZone ? { defaultTimeZone } : {}),
  };
}

/** True when the address points at this machine, where the embedded dev server may be started. */
export function isLocalAddress(address: string): boolean {
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '0.0.0.0';
}

/** Reads the PEM files named by {@link TlsSettings} into the shape the Temporal SDK expects. */
export function readTlsConfig(tls: TlsSettings): {
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverRootCACertificate?: Buffer;
  serverNameOverride?: string;
} {
  return {
    ...(tls.clientCertPath && tls.clientKeyPath
      ? { clientCertPair: { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) } }
      : {}),
    ...(tls.serverRootCaPath ? { serverRootCACertificate: readFileSync(tls.serverRootCaPath) } : {}),
    ...(tls.serverNameOverride ? { serverNameOverride: tls.serverNameOverride } : {}),
  };
}

/** A setting in the environment is malformed. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}
