/**
 * Settings, read from the environment in this one module and nowhere else.
 *
 * A leaf: it imports nothing from the rest of the product and does no I/O when loaded; {@link loadSettings}
 * only reads the environment it is given. Files named here (TLS certificates) are read by the connection
 * module, the catalog by the catalog. Every entry point calls {@link loadSettings} and passes the result down.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import type { Principal, Role } from './principal';
import { isLoopbackHost, isLocalAddress, portOf } from './settings/addresses';
import { cliRolesOf, cliUserOf, DEFAULT_CLI_USER, parseTokens } from './settings/principals';
import { databaseUrlOf } from './settings/database-url';
import { SettingsError } from './settings/settings-error';
import { workflowTargetsOf, type WorkflowTargetAllowance } from './settings/workflow-targets';
import { workerTuningOf, type WorkerTuning } from './settings/worker-tuning';

export { isLoopbackHost, isLocalAddress, portOf, SettingsError, parseTokens, DEFAULT_CLI_USER };
export type { WorkflowTargetAllowance, WorkerTuning };

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

/** Durable retry policy of a dispatch (network errors, 5xx, 429). */
export interface DispatchRetryPolicy {
  /** @default 10 */
  readonly maximumAttempts: number;
  /** @default 1000 */
  readonly initialIntervalMs: number;
  /** @default 2 */
  readonly backoffCoefficient: number;
  /** @default 300000 (5 minutes) */
  readonly maximumIntervalMs: number;
}

/** Default dispatch retries: 10 attempts over roughly 20 minutes. */
export const DEFAULT_DISPATCH_RETRY: DispatchRetryPolicy = {
  maximumAttempts: 10,
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maximumIntervalMs: 300_000,
};

/** One key of the payload codec: an id (written beside each ciphertext, for rotation) and 32 bytes. */
export interface CodecKey {
  readonly id: string;
  readonly key: Buffer;
}
/** Default requests per minute one API token may make. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** Default number of live schedules one solution may have. */
export const DEFAULT_SCHEDULE_QUOTA = 1000;
/** Default `maximumDelay` of the schedule service: 10 days, in seconds (seed 002). */
export const DEFAULT_MAXIMUM_DELAY_SECONDS = 10 * 24 * 3600;
/** Default limit of pending schedule node runs per solution. */
export const DEFAULT_NODE_PENDING_LIMIT = 1000;

/** Log levels of the worker's readable log. */
export const LogLevel = {
  Trace: 'TRACE',
  Debug: 'DEBUG',
  Info: 'INFO',
  Warn: 'WARN',
  Error: 'ERROR',
} as const;
/** A log level. */
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Everything an entry point needs to reach Temporal and run the scheduler. */
export interface Settings {
  /** gRPC address of the Temporal frontend (`TEMPORAL_ADDRESS`). @default `localhost:7233` (the embedded dev server) */
  readonly address: string;
  /** Temporal namespace (`TEMPORAL_NAMESPACE`). @default `default` */
  readonly namespace: string;
  /** Task queue the scheduler's worker polls (`TEMPORAL_TASK_QUEUE`). @default `runbook-scheduler` */
  readonly taskQueue: string;
  /** TLS settings; absent for the plaintext embedded dev server. */
  readonly tls?: TlsSettings;
  /** API key for Temporal Cloud style authentication (`TEMPORAL_API_KEY`). */
  readonly apiKey?: string;
  /** Directory of the scheduler's own data, the runbook catalog (`RUNBOOK_SCHEDULER_DATA_DIR`). @default `.runbook-scheduler` */
  readonly dataDir: string;
  /** PostgreSQL URL of the catalog, for several machines (`RUNBOOK_SCHEDULER_DATABASE_URL`); a secret. @default SQLite in `dataDir` */
  readonly databaseUrl?: string;
  /** Zone used when a recurrence omits `time_zone` where one is required; unset means "required". */
  readonly defaultTimeZone?: string;
  /** Durable retries of a dispatch (network errors, 5xx, 429). @default {@link DEFAULT_DISPATCH_RETRY} */
  readonly dispatchRetry: DispatchRetryPolicy;
  /** Port of the HTTP API of `npm start` (`RUNBOOK_SCHEDULER_HTTP_PORT`). @default 8080 */
  readonly httpPort: number;
  /** Address the HTTP API binds to (`RUNBOOK_SCHEDULER_HTTP_HOST`). @default `127.0.0.1` */
  readonly httpHost: string;
  /**
   * Bearer token -> principal of the HTTP API (`RUNBOOK_SCHEDULER_API_TOKENS=token=solution[:user[:Role+Role]],…`);
   * undefined when none are configured (then only the main job's demo token works, on loopback).
   */
  readonly apiTokens?: ReadonlyMap<string, Principal>;
  /** Port of the main job's demo runbook endpoint (`RUNBOOK_SCHEDULER_DEMO_PORT`). @default 8090 */
  readonly demoPort: number;
  /** Level of the worker's readable log (`RUNBOOK_SCHEDULER_LOG_LEVEL`). @default `INFO` */
  readonly logLevel: LogLevel;
  /** The CLI's solution when `--solution` is not given (`RUNBOOK_SCHEDULER_SOLUTION`). */
  readonly solution?: string;
  /** The CLI's user, recorded as the submitting user of what it does (`RUNBOOK_SCHEDULER_USER`). @default `cli` */
  readonly user: string;
  /** The CLI's roles (`RUNBOOK_SCHEDULER_ROLES`, `Role+Role`). @default none */
  readonly roles: readonly Role[];
  /** The Temporal CLI the embedded dev server script should use (`TEMPORAL_CLI`). */
  readonly temporalCli?: string;
  /**
   * Per solution, the task queues (and workflow types) its runbooks may target
   * (`RUNBOOK_SCHEDULER_WORKFLOW_TARGETS`, JSON `{"<solution>": [{"taskQueue": "q", "workflowTypes": ["T"]}]}`;
   * the key `*` applies to every solution, a queue ending in `*` allows every queue it begins).
   * @default none: no solution may target a workflow
   */
  readonly workflowTargets: ReadonlyMap<string, readonly WorkflowTargetAllowance[]>;
  /**
   * Address ranges (CIDR) a dispatch may reach although the egress policy denies them by default: loopback,
   * link-local, private, CGNAT (`RUNBOOK_SCHEDULER_EGRESS_ALLOW`, comma-separated, e.g. `10.20.0.0/16,::1/128`).
   * @default none
   */
  readonly egressAllow: readonly string[];
  /**
   * Keys of the encrypting payload codec (`RUNBOOK_SCHEDULER_CODEC_KEYS=id:<base64 of 32 bytes>,...`): the first
   * encrypts, every one decrypts (rotation). @default none: payloads are stored in clear, with a warning at start
   */
  readonly codecKeys: readonly CodecKey[];
  /** Bearer token the codec endpoint requires (`RUNBOOK_SCHEDULER_CODEC_TOKEN`). */
  readonly codecToken?: string;
  /** Requests per minute one API token may make (`RUNBOOK_SCHEDULER_RATE_LIMIT`). @default 600 */
  readonly rateLimitPerMinute: number;
  /** Live schedules one solution may have (`RUNBOOK_SCHEDULER_SCHEDULE_QUOTA`). @default 1000 */
  readonly scheduleQuota: number;
  /** Shortest period of a workspace schedule's cadence, minutes (`RUNBOOK_SCHEDULER_MIN_PERIOD_MINUTES`). @default 15 */
  readonly minPeriodMinutes: number;
  /** `maximumDelay` of the schedule service: how far from now a run may be scheduled, seconds (`RUNBOOK_SCHEDULER_MAXIMUM_DELAY`). @default 864000 (10 days) */
  readonly maximumDelaySeconds: number;
  /** Pending schedule node runs one solution may have (`RUNBOOK_SCHEDULER_NODE_PENDING_LIMIT`); beyond, 110. @default 1000 */
  readonly nodePendingLimit: number;
  /** Port of the embedded dev server's Web UI (`TEMPORAL_DEV_UI_PORT`), one of the product's own addresses. @default 8233 */
  readonly temporalUiPort: number;
  /** The worker's concurrency and cache (`RUNBOOK_SCHEDULER_WORKER_*`). @default `DEFAULT_WORKER_TUNING` */
  readonly worker: WorkerTuning;
}

/** Default gRPC address: the embedded dev server started by `temporal-dev.sh`. */
export const DEFAULT_ADDRESS = 'localhost:7233';
/** Default namespace of the embedded dev server. */
export const DEFAULT_NAMESPACE = 'default';
/** Default task queue of the scheduler worker. */
export const DEFAULT_TASK_QUEUE = 'runbook-scheduler';
/** Default port of the HTTP API. */
export const DEFAULT_HTTP_PORT = 8080;
/** Default port of the demo runbook endpoint. */
export const DEFAULT_DEMO_PORT = 8090;

/**
 * Reads the settings from an environment (default `process.env`).
 *
 * Variables: those of the README's settings table; each member of {@link Settings} names the one it comes
 * from (a list here went stale: it lacked half of them).
 *
 * @throws {@link SettingsError} naming the variable when a value is malformed or two contradict each other.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const number = (name: string, fallback: number, min: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min)
      throw new SettingsError(`${name} must be a number >= ${min}, got "${text}"`);
    return n;
  };
  const port = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65_535)
      throw new SettingsError(`${name} must be a port number from 0 to 65535, got "${text}"`);
    return n;
  };
  const tls = tlsOf(value);
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
  const logLevelText = (value('RUNBOOK_SCHEDULER_LOG_LEVEL') ?? LogLevel.Info).toUpperCase();
  const levels: readonly string[] = Object.values(LogLevel);
  if (!levels.includes(logLevelText)) {
    throw new SettingsError(
      `RUNBOOK_SCHEDULER_LOG_LEVEL must be one of ${levels.join(', ')}, got "${value('RUNBOOK_SCHEDULER_LOG_LEVEL')}"`,
    );
  }
  const tokensText = value('RUNBOOK_SCHEDULER_API_TOKENS');
  const optional = {
    tls,
    apiKey: value('TEMPORAL_API_KEY'),
    defaultTimeZone: value('RUNBOOK_SCHEDULER_DEFAULT_TIME_ZONE'),
    apiTokens: tokensText === undefined ? undefined : parseTokens(tokensText),
    solution: value('RUNBOOK_SCHEDULER_SOLUTION'),
    temporalCli: value('TEMPORAL_CLI'),
    codecToken: value('RUNBOOK_SCHEDULER_CODEC_TOKEN'),
    databaseUrl: databaseUrlOf(value('RUNBOOK_SCHEDULER_DATABASE_URL')),
  };
  return {
    address: value('TEMPORAL_ADDRESS') ?? DEFAULT_ADDRESS,
    namespace: value('TEMPORAL_NAMESPACE') ?? DEFAULT_NAMESPACE,
    taskQueue: value('TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    dataDir: path.resolve(value('RUNBOOK_SCHEDULER_DATA_DIR') ?? '.runbook-scheduler'),
    dispatchRetry,
    httpPort: port('RUNBOOK_SCHEDULER_HTTP_PORT', DEFAULT_HTTP_PORT),
    httpHost: value('RUNBOOK_SCHEDULER_HTTP_HOST') ?? '127.0.0.1',
    demoPort: port('RUNBOOK_SCHEDULER_DEMO_PORT', DEFAULT_DEMO_PORT),
    logLevel: logLevelText as LogLevel,
    workflowTargets: workflowTargetsOf(value('RUNBOOK_SCHEDULER_WORKFLOW_TARGETS')),
    egressAllow: egressAllowOf(value('RUNBOOK_SCHEDULER_EGRESS_ALLOW')),
    codecKeys: codecKeysOf(value('RUNBOOK_SCHEDULER_CODEC_KEYS')),
    rateLimitPerMinute: Math.floor(number('RUNBOOK_SCHEDULER_RATE_LIMIT', DEFAULT_RATE_LIMIT_PER_MINUTE, 1)),
    scheduleQuota: Math.floor(number('RUNBOOK_SCHEDULER_SCHEDULE_QUOTA', DEFAULT_SCHEDULE_QUOTA, 1)),
    minPeriodMinutes: Math.floor(number('RUNBOOK_SCHEDULER_MIN_PERIOD_MINUTES', 15, 1)),
    maximumDelaySeconds: number('RUNBOOK_SCHEDULER_MAXIMUM_DELAY', DEFAULT_MAXIMUM_DELAY_SECONDS, 1),
    nodePendingLimit: Math.floor(
      number('RUNBOOK_SCHEDULER_NODE_PENDING_LIMIT', DEFAULT_NODE_PENDING_LIMIT, 1),
    ),
    temporalUiPort: port('TEMPORAL_DEV_UI_PORT', 8233),
    user: cliUserOf(value('RUNBOOK_SCHEDULER_USER')),
    roles: cliRolesOf(value('RUNBOOK_SCHEDULER_ROLES')),
    worker: workerTuningOf(value),
    ...definedOnly(optional),
  };
}

function egressAllowOf(text: string | undefined): string[] {
  const ranges = (text ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const range of ranges) {
    const [address, bits, extra] = range.split('/');
    const family = address === undefined ? 0 : isIP(address);
    const max = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))
    ) {
      throw new SettingsError(
        `RUNBOOK_SCHEDULER_EGRESS_ALLOW entry "${range}" must be an address range such as 10.0.0.0/8 or ::1/128`,
      );
    }
  }
  return ranges;
}

function codecKeysOf(text: string | undefined): CodecKey[] {
  const keys: CodecKey[] = [];
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    // The key itself is a secret: name the entry by position and id only.
    if (at <= 0 || !/^[A-Za-z0-9._-]{1,32}$/.test(id) || key.length !== 32) {
      throw new SettingsError(
        `RUNBOOK_SCHEDULER_CODEC_KEYS entry ${keys.length + 1} must be <id>:<base64 of 32 random bytes>`,
      );
    }
    if (keys.some((k) => k.id === id)) {
      throw new SettingsError(`RUNBOOK_SCHEDULER_CODEC_KEYS names key "${id}" twice`);
    }
    keys.push({ id, key });
  }
  return keys;
}

function tlsOf(value: (name: string) => string | undefined): TlsSettings | undefined {
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
  if (!wantsTls) return undefined;
  return definedOnly({
    clientCertPath: cert,
    clientKeyPath: key,
    serverRootCaPath: ca,
    serverNameOverride: serverName,
  });
}

/** The object without its undefined members, for `exactOptionalPropertyTypes`-style settings. */
function definedOnly<T extends Record<string, unknown>>(
  object: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * The environment of a child process of the product (the embedded dev server script): this process's own, with
 * `extra` on top. The one other place besides {@link loadSettings} that touches `process.env`.
 */
export function childEnvironment(
  extra: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return { ...env, ...extra };
}
