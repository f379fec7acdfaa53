/**
 * An outage is not an input error: with nothing listening at TEMPORAL_ADDRESS, a service command prints
 * `Temporal is unavailable: <reason>` (without the address) and exits 1, within the SDK's connect deadline.
 * Run through the real bin script, as a person would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'runbook-scheduler.js');

jest.setTimeout(90_000);

/** A port on which nothing listens once this resolves. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('Temporal unreachable: exit 1 and "Temporal is unavailable", not 2 and not the usage', async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cli-outage-'));
  const started = Date.now();
  const out = spawnSync(process.execPath, [BIN, 'get', '--reference', 'r'], {
    encoding: 'utf8',
    // Bounded: the SDK gives up connecting after 10 s; a hang would be killed here and fail the test.
    timeout: 45_000,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      RUNBOOK_SCHEDULER_SOLUTION: 'acme',
      RUNBOOK_SCHEDULER_DATA_DIR: dataDir,
    },
  });
  rmSync(dataDir, { recursive: true, force: true });
  expect({ status: out.status, stdout: out.stdout, stderr: out.stderr }).toEqual({
    status: 1,
    stdout: '',
    stderr: 'Temporal is unavailable: cannot connect to the server\n',
  });
  expect(Date.now() - started).toBeLessThan(30_000);
});
