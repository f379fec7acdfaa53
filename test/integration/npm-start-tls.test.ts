/**
 * `npm start` reaches a Temporal server through TLS (issue 8, item 1): one connection path builds the options
 * (address, TLS files, server name) for the reachability probe, the client and the worker alike. A small
 * TLS-terminating proxy stands in front of the dev server, with a certificate of a throw-away CA that only the
 * test trusts; the main job connects through it, and its demo runbook is fired.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { freePort, PROJECT_ROOT, testSettings, uniqueId, waitFor } from './harness';

jest.setTimeout(180_000);

/** A CA and a server certificate for `localhost` signed by it (webpki refuses a CA certificate as a leaf). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(
    file('server.ext'),
    'basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

/** Terminates TLS (HTTP/2 by ALPN, as gRPC needs) and forwards the bytes to the plaintext dev server. */
async function startTlsProxy(
  target: string,
  cert: string,
  key: string,
): Promise<{ port: number; close(): void; connections: () => number }> {
  const [host, port] = [target.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(target)?.[1])];
  let connections = 0;
  const server = tls.createServer(
    { cert: readFileSync(cert), key: readFileSync(key), ALPNProtocols: ['h2'] },
    (socket) => {
      connections++;
      const upstream = net.connect(port, host);
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end);
      upstream.on('error', end);
    },
  );
  const listenPort = await freePort();
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return { port: listenPort, close: () => server.close(), connections: () => connections };
}

let dir: string;
let child: ChildProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rbs-tls-'));
});

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('npm start connects through TLS with a CA and server name, runs the worker and fires the demo', async () => {
  const { ca, cert, key } = makeCertificates(dir);
  const proxy = await startTlsProxy(testSettings().address, cert, key);
  let output = '';
  try {
    child = spawn(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: `localhost:${proxy.port}`,
        TEMPORAL_TLS_CA: ca,
        TEMPORAL_TLS_SERVER_NAME: 'localhost',
        TEMPORAL_TASK_QUEUE: uniqueId('tls-tq'),
        RUNBOOK_SCHEDULER_DATA_DIR: path.join(dir, 'data'),
        RUNBOOK_SCHEDULER_HTTP_PORT: String(await freePort()),
        RUNBOOK_SCHEDULER_DEMO_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

    await waitFor(() => output.includes('[demo runbook] fire received'), {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: `a demo fire; output so far:\n${output}`,
    });
    expect(output).toContain(`Temporal is reachable at localhost:${proxy.port}`);
    expect(output).not.toContain('starting the embedded Temporal dev server');
    expect(proxy.connections()).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
  } finally {
    proxy.close();
  }
});
