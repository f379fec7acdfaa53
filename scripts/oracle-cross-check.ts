/**
 * Full cross-check of the recurrence engine against python-dateutil (see test/oracle/cross-check.ts).
 *
 *   npx tsx scripts/oracle-cross-check.ts --cases 10000 --seed 1 [--out test/oracle/REPORT.md] [--show 10]
 *
 * Prints the agreement table (per zone and frequency) and writes it to test/oracle/REPORT.md; exits 1 on any
 * disagreement, 2 on a usage or oracle error. The interpreter is $ORACLE_PYTHON, else .venv/bin/python, else
 * python3 (it needs test/oracle/requirements.txt).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatReport, runCrossCheck } from '../test/oracle/cross-check';

function parseArgs(argv: string[]): { cases: number; seed: number; out: string; show: number } {
  const options = {
    cases: 10_000,
    seed: 1,
    out: path.join(__dirname, '..', 'test', 'oracle', 'REPORT.md'),
    show: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log('usage: tsx scripts/oracle-cross-check.ts [--cases N] [--seed S] [--out FILE] [--show K]');
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--out') {
      options.out = path.resolve(value);
      continue;
    }
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a non-negative integer`);
    if (flag === '--cases') options.cases = number;
    else if (flag === '--seed') options.seed = number;
    else if (flag === '--show') options.show = number;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

async function main(): Promise<number> {
  const { cases, seed, out, show } = parseArgs(process.argv.slice(2));
  const report = await runCrossCheck({ cases, seed, maxDisagreements: show });
  // Written in the repository's Prettier style, so `prettier --check .` stays clean.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(out)) ?? {};
  const markdown = await prettier.format(formatReport(report), { ...config, filepath: out });
  writeFileSync(out, markdown);
  console.log(markdown);
  console.log(
    `(${(report.durationMs / 1000).toFixed(1)} s; written to ${path.relative(process.cwd(), out)})`,
  );
  return report.disagreed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
