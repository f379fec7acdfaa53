/**
 * `src/config.ts` is the one module that reads settings (issue 8, item 2): no other file of the product reads
 * the environment, and config itself is a leaf that imports nothing of the product and does no I/O when loaded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CONFIG = path.join(ROOT, 'src', 'config.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|js)$/.test(name) ? [file] : [];
  });
}

/** Code without comments, so a TSDoc that mentions `process.env` is not taken for a read. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

test('no product file but src/config.ts reads process.env', () => {
  const files = ['src', 'activities', 'workflows', 'bin'].flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
  expect(files.length).toBeGreaterThan(20);
  const readers = files
    .filter((file) => file !== CONFIG && /process\.env\b/.test(code(file)))
    .map((file) => path.relative(ROOT, file));
  expect(readers).toEqual([]);
});

/** config.ts and the modules it imports (its parsers in src/settings/, the principal vocabulary). */
function settingsModules(): string[] {
  const seen = new Set<string>([CONFIG]);
  for (const file of seen) {
    for (const [, specifier] of code(file).matchAll(/from\s+'([^']+)'/g)) {
      if (specifier?.startsWith('.')) seen.add(`${path.resolve(path.dirname(file), specifier)}.ts`);
    }
  }
  return [...seen];
}

test('src/config.ts is a leaf of the product: it and what it imports import only Node built-ins and each other', () => {
  const modules = settingsModules();
  expect(modules.length).toBeGreaterThan(1);
  const allowed = (file: string): boolean =>
    file === path.join(ROOT, 'src', 'principal.ts') ||
    file.startsWith(path.join(ROOT, 'src', 'settings') + path.sep);
  expect(
    modules.filter((file) => file !== CONFIG && !allowed(file)).map((f) => path.relative(ROOT, f)),
  ).toEqual([]);
  for (const file of modules) {
    const imports = [...code(file).matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
    expect(imports.filter((s) => !s.startsWith('node:') && !s.startsWith('.'))).toEqual([]);
  }
});

test('src/config.ts and its parsers do no file or network I/O', () => {
  const text = settingsModules().map(code).join('\n');
  expect(text).not.toMatch(/node:(fs|http|https|child_process|dns|dgram)|readFile|existsSync/);
  // node:net only for its pure address checks, never to connect or listen.
  expect(text).not.toMatch(/\b(connect|createServer|createConnection|Socket)\b/);
});
