/**
 * Connections to Temporal, built from {@link Settings} only.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { readTlsConfig, type Settings } from '../config';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';
import { temporal } from '@temporalio/proto';

function connectionOptions(settings: Settings) {
  return {
    address: settings.address,
    ...(settings.tls ? { tls: readTlsConfig(settings.tls) } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}

/** Connects a client to the configured namespace. */
export async function connectClient(settings: Settings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(settings));
  return new Client({ connection, namespace: settings.namespace });
}

/** Connects the native connection a worker needs. */
export async function connectWorker(settings: Settings): Promise<NativeConnection> {
  return await NativeConnection.connect(connectionOptions(settings));
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
      missing.map((sa) => [sa.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return missing.map((sa) => sa.name);
}
