/**
 * The one connection path to Temporal: the options (address, namespace, TLS files, API key) are built here once
 * from {@link Settings}, and the client, the worker, `npm start`'s reachability probe and the test harness all
 * connect through this module.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { Settings, TlsSettings } from '../config';
import { payloadCodecsOf } from './codec';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';
import { translating } from './temporal-errors';

/** Reads the PEM files named by {@link TlsSettings} into the shape the Temporal SDK expects. */
export function readTlsConfig(tls: TlsSettings): TLSConfig {
  return {
    ...(tls.clientCertPath && tls.clientKeyPath
      ? { clientCertPair: { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) } }
      : {}),
    ...(tls.serverRootCaPath ? { serverRootCACertificate: readFileSync(tls.serverRootCaPath) } : {}),
    ...(tls.serverNameOverride ? { serverNameOverride: tls.serverNameOverride } : {}),
  };
}

/**
 * Connection options of the settings: address, TLS (files read now) and API key. Both the client's
 * {@link Connection} and the worker's {@link NativeConnection} take this shape.
 */
export function connectionOptions(settings: Settings): {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
} {
  return {
    address: settings.address,
    ...(settings.tls ? { tls: readTlsConfig(settings.tls) } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}

/**
 * Connects a client to the configured namespace; with codec keys configured, every payload it sends is encrypted
 * (and every one it reads decrypted) by the payload codec.
 * @throws {@link UnavailableError} when Temporal cannot be reached.
 */
export async function connectClient(settings: Settings): Promise<Client> {
  const connection = await translating('', () => Connection.connect(connectionOptions(settings)));
  const payloadCodecs = payloadCodecsOf(settings);
  return new Client({
    connection,
    namespace: settings.namespace,
    ...(payloadCodecs.length > 0 ? { dataConverter: { payloadCodecs } } : {}),
  });
}

/**
 * Connects the native connection a worker needs.
 * @throws {@link UnavailableError} when Temporal cannot be reached.
 */
export async function connectWorker(settings: Settings): Promise<NativeConnection> {
  return await translating('', () => NativeConnection.connect(connectionOptions(settings)));
}

/**
 * True when the configured Temporal answers (with the same TLS and API key as every other connection) within
 * `timeoutMs`.
 */
export async function isReachable(settings: Settings, timeoutMs = 2_000): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...connectionOptions(settings), connectTimeout: timeoutMs });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    // Any failure to connect or answer means "not reachable"; the caller says what to check.
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * Registers the product's custom search attributes on the namespace, skipping those that exist. Idempotent;
 * `temporal-dev.sh` does the same for the embedded server.
 */
export async function ensureSearchAttributes(client: Client): Promise<string[]> {
  const operator = client.connection.operatorService;
  const namespace = client.options.namespace;
  const existing = await operator.listSearchAttributes({ namespace });
  const missing = CUSTOM_SEARCH_ATTRIBUTES.filter((sa) => !(sa.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await operator.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((sa) => [
        sa.name,
        sa.type === 'Text'
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return missing.map((sa) => sa.name);
}
