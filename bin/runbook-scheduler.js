#!/usr/bin/env node
// Runs the built CLI when present, else the TypeScript source through tsx (a development checkout).
const path = require('node:path');
const fs = require('node:fs');
const built = path.join(__dirname, '..', 'dist', 'src', 'cli.js');
if (fs.existsSync(built)) {
  require(built)
    .main(process.argv.slice(2))
    .then((code) => process.exit(code));
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli.ts'))
    .main(process.argv.slice(2))
    .then((code) => process.exit(code));
}
