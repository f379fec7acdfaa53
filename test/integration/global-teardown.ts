/** Jest global teardown of the integration project: stops the dev server of `global-setup.ts`, removes its files. */
import { DEV_SERVER_GLOBAL } from './global-setup';
import { stopDevServerProcess, type DevServerHandle } from './harness';

export default async function globalTeardown(): Promise<void> {
  const registry = globalThis as Record<string, unknown>;
  const handle = registry[DEV_SERVER_GLOBAL] as DevServerHandle | undefined;
  if (!handle) return;
  delete registry[DEV_SERVER_GLOBAL];
  await stopDevServerProcess(handle);
}
