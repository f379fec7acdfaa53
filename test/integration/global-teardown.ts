/** Jest global teardown of the integration project: stops the dev server of `global-setup.ts`, removes its files. */
import type { DevServer } from '../fixtures/dev-server';
import { DEV_SERVER_GLOBAL } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const registry = globalThis as Record<string, unknown>;
  const server = registry[DEV_SERVER_GLOBAL] as DevServer | undefined;
  if (!server) return;
  delete registry[DEV_SERVER_GLOBAL];
  await server.stop();
}
