/**
 * `bin/runbook-scheduler.js` never runs code older than the source it ships with: with `src/cli.ts` present it
 * runs the source through tsx, even when a `dist/` that looks newer is there; `dist/` runs only when no source is
 * shipped. Each case runs a copy of the real bin script in a temporary tree with stand-in sources, so the
 * checkout's own `dist/` is never touched.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

jest.setTimeout(60_000);

/** What the stand-in CLIs print, so a test can tell which one ran. */
const SOURCE_CLI = `export async function main(argv: readonly string[]): Promise<number> {
  const from: string = 'source';
  process.stdout.write(\`\${from} \${argv.join(' ')}\\n\`);
  return 4;
}
`;
const DIST_CLI = `exports.main = async (argv) => {
  process.stdout.write('dist ' + argv.join(' ') + '\\n');
  return 3;
};
`;

interface Tree {
  source?: boolean;
  dist?: boolean;
  tsx?: boolean;
}

let dirs: string[] = [];

/** A tree with the real bin script and, as asked, a stand-in src/cli.ts, dist/src/cli.js and node_modules. */
function tree({ source = false, dist = false, tsx = false }: Tree): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bin-rule-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(ROOT, 'bin', 'runbook-scheduler.js'), path.join(dir, 'bin', 'runbook-scheduler.js'));
  const hourAgo = new Date(Date.now() - 3_600_000);
  const inAnHour = new Date(Date.now() + 3_600_000);
  if (source) {
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'cli.ts'), SOURCE_CLI);
    utimesSync(path.join(dir, 'src', 'cli.ts'), hourAgo, hourAgo);
  }
  if (dist) {
    // Newer than the source: what a rule by modification time would take for an up-to-date build.
    mkdirSync(path.join(dir, 'dist', 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'src', 'cli.js'), DIST_CLI);
    utimesSync(path.join(dir, 'dist', 'src', 'cli.js'), inAnHour, inAnHour);
  }
  if (tsx) symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function runBin(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(dir, 'bin', 'runbook-scheduler.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    // No global module folders: tsx is found only where the tree puts it.
    env: { PATH: process.env.PATH, HOME: dir, NODE_PATH: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

test('with src/cli.ts present it runs the source, even beside a dist/ that looks newer', () => {
  const out = runBin(tree({ source: true, dist: true, tsx: true }), 'list', '--solution', 'x');
  expect(out).toEqual({ status: 4, stdout: 'source list --solution x\n', stderr: '' });
});

test('without source it runs dist/src/cli.js, with its exit status', () => {
  const out = runBin(tree({ dist: true }), 'help');
  expect(out).toEqual({ status: 3, stdout: 'dist help\n', stderr: '' });
});

test('with source but no tsx it refuses (status 1) rather than run dist/', () => {
  const out = runBin(tree({ source: true, dist: true }), 'help');
  expect(out).toEqual({
    status: 1,
    stdout: '',
    stderr: 'runbook-scheduler: src/cli.ts is present but tsx is not installed: run npm install\n',
  });
});

test('with neither it says to build', () => {
  expect(runBin(tree({}), 'help')).toEqual({
    status: 1,
    stdout: '',
    stderr: 'runbook-scheduler: neither src/cli.ts nor dist/src/cli.js exists: run npm run build\n',
  });
});
