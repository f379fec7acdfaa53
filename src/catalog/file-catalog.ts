/**
 * The embedded catalog: one JSON file, written atomically (temp file + rename) under an exclusive lock file so
 * that the worker, the HTTP API and the CLI can share it. Chosen over SQLite because it needs no native module
 * (these machines can fetch no prebuilt binaries), a catalog holds few and small records, and a person can read it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunbookCatalog } from './catalog';
import { RunbookSchema, type Runbook } from './model';

interface CatalogFile {
  readonly version: 1;
  readonly runbooks: Runbook[];
}

const LOCK_STALE_MS = 30_000;

/** A {@link RunbookCatalog} kept in `<dataDir>/catalog.json`. */
export class FileRunbookCatalog implements RunbookCatalog {
  private readonly file: string;
  private readonly lockFile: string;

  /** @param dataDir directory of the catalog file, created when missing. */
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'catalog.json');
    this.lockFile = `${this.file}.lock`;
  }

  /** Path of the JSON file. */
  get location(): string {
    return this.file;
  }

  async get(solution: string, uuid: string): Promise<Runbook | undefined> {
    const { runbooks } = await this.read();
    return runbooks.find((r) => r.solution === solution && r.uuid === uuid);
  }

  async list(solution: string): Promise<Runbook[]> {
    const { runbooks } = await this.read();
    return runbooks.filter((r) => r.solution === solution).sort((a, b) => a.name.localeCompare(b.name));
  }

  async put(runbook: Runbook): Promise<void> {
    const parsed = RunbookSchema.parse(runbook);
    await this.modify((runbooks) => [
      ...runbooks.filter((r) => !(r.solution === parsed.solution && r.uuid === parsed.uuid)),
      parsed,
    ]);
  }

  async remove(solution: string, uuid: string): Promise<boolean> {
    let existed = false;
    await this.modify((runbooks) => {
      existed = runbooks.some((r) => r.solution === solution && r.uuid === uuid);
      return runbooks.filter((r) => !(r.solution === solution && r.uuid === uuid));
    });
    return existed;
  }

  private async read(): Promise<CatalogFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, runbooks: [] };
      throw err;
    }
    const data = JSON.parse(text) as CatalogFile;
    return { version: 1, runbooks: data.runbooks.map((r) => RunbookSchema.parse(r)) };
  }

  private async modify(change: (runbooks: Runbook[]) => Runbook[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await this.withLock(async () => {
      const current = await this.read();
      const next: CatalogFile = { version: 1, runbooks: change(current.runbooks) };
      const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`, 'utf8');
      await fs.rename(tmp, this.file);
    });
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const handle = await fs.open(this.lockFile, 'wx');
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const stat = await fs.stat(this.lockFile).catch(() => undefined);
        // A lock left by a crashed process would otherwise block every writer forever.
        if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) {
          await fs.rm(this.lockFile, { force: true });
          continue;
        }
        if (Date.now() > deadline) throw new Error(`Catalog is locked: ${this.lockFile}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(this.lockFile, { force: true });
    }
  }
}
