#!/usr/bin/env node
'use strict';
// Which code runs: the TypeScript source whenever it ships beside this script (src/cli.ts exists: a checkout),
// through tsx; the compiled dist/src/cli.js only when no source is shipped (a build deployed without src/).
//
// Deliberately not "dist when it is at least as new as the sources": modification times record when a file was
// last written, not which code it holds, and ordinary work fools them. `git checkout` or `git stash pop` of older
// sources, `cp -p`/`rsync -t`/`tar x` keeping old times, a build that stopped half-way or emitted from a
// different branch, an edit within the file system's time granularity: each leaves a stale dist that looks new.
// Whether src/cli.ts exists is not a matter of timing, so with source present the source always runs, and a
// checkout without tsx (dev dependencies omitted) is refused rather than served from a dist of unknown age.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli.ts');
const built = path.join(root, 'dist', 'src', 'cli.js');

/** Status 1: the CLI could not start (nothing ran). */
function refuse(message) {
  process.stderr.write(`runbook-scheduler: ${message}\n`);
  process.exit(1);
}

function loadCli() {
  if (fs.existsSync(source)) {
    let tsx;
    try {
      tsx = require.resolve('tsx/cjs', { paths: [root] });
    } catch {
      return refuse('src/cli.ts is present but tsx is not installed: run npm install');
    }
    require(tsx);
    return require(source);
  }
  if (fs.existsSync(built)) return require(built);
  return refuse('neither src/cli.ts nor dist/src/cli.js exists: run npm run build');
}

loadCli()
  .main(process.argv.slice(2))
  .then((status) => {
    // Exit once stdout and stderr are flushed (a write's callback runs after the writes before it): where pipes
    // are asynchronous (macOS), exiting at once could cut a long output short. Exiting, rather than letting the
    // event loop drain, ends the process even if a failed connection left a handle open.
    let pending = 2;
    const flushed = () => {
      pending -= 1;
      if (pending === 0) process.exit(status);
    };
    process.stdout.write('', flushed);
    process.stderr.write('', flushed);
  });
