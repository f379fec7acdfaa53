/**
 * The registry of schedule nodes (FEATURES.md D1, D4): per solution, each node with its identifier and its
 * reference (both unique in the solution) and the users with admin authority over it. Embedded: an SQLite
 * database of its own, `<dataDir>/schedule-nodes.db`, configured as the catalog's is (WAL, `synchronous=FULL`,
 * `BEGIN IMMEDIATE` writes with a busy timeout), so the worker, the HTTP API and CLI processes share it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { translateSqliteError } from '../catalog/errors';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../catalog/sqlite-catalog';
import { Dependency, UnavailableError } from '../errors';
import { ScheduleNodeSchema, type ScheduleNode } from './model';

/** Storage of schedule nodes; every call is scoped to one solution. */
export interface ScheduleNodeStore {
  /** The node with this identifier, or undefined. */
  getByIdentifier(solution: string, identifier: string): Promise<ScheduleNode | undefined>;
  /** The node with this reference, or undefined. */
  getByReference(solution: string, reference: string): Promise<ScheduleNode | undefined>;
  /** Every node of a solution, by identifier. */
  list(solution: string): Promise<ScheduleNode[]>;
  /**
   * Adds a node, atomically refusing one whose identifier or reference the solution already has.
   * @returns `identifier` or `reference` for the field already taken, else undefined (added).
   */
  add(node: ScheduleNode): Promise<'identifier' | 'reference' | undefined>;
  /** Removes a node; true when it existed. */
  remove(solution: string, identifier: string): Promise<boolean>;
  close?(): Promise<void>;
}

/** Base name of the node registry's database in the data directory. */
export const NODE_DB_FILE = 'schedule-nodes.db';

/** The schema: applied under `user_version` in one `BEGIN IMMEDIATE` transaction. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE schedule_nodes (
     solution TEXT NOT NULL,
     identifier TEXT NOT NULL,
     reference TEXT NOT NULL,
     node TEXT NOT NULL,
     PRIMARY KEY (solution, identifier),
     UNIQUE (solution, reference)
   )`,
];

function translated<T>(operation: () => T): T {
  try {
    return operation();
  } catch (err) {
    throw translateSqliteError(err);
  }
}

function parseRow(row: { node: string } | undefined): ScheduleNode | undefined {
  return row === undefined ? undefined : ScheduleNodeSchema.parse(JSON.parse(row.node));
}

/** A {@link ScheduleNodeStore} in `<dataDir>/schedule-nodes.db`, opened on first use. */
export class SqliteScheduleNodeStore implements ScheduleNodeStore {
  private db: Database.Database | undefined;
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
  ) {}

  private open(): Database.Database {
    if (this.closed) throw new UnavailableError(Dependency.Catalog, 'the node registry was closed');
    if (this.db) return this.db;
    try {
      mkdirSync(this.dataDir, { recursive: true });
    } catch (err) {
      throw new UnavailableError(Dependency.Catalog, 'the data directory cannot be created', { cause: err });
    }
    const db = translated(
      () => new Database(path.join(this.dataDir, NODE_DB_FILE), { timeout: this.busyTimeoutMs }),
    );
    try {
      translated(() => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.transaction(() => {
          const version = db.pragma('user_version', { simple: true }) as number;
          MIGRATIONS.slice(version).forEach((sql) => db.exec(sql));
          db.pragma(`user_version = ${MIGRATIONS.length}`);
        }).immediate();
      });
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    return db;
  }

  getByIdentifier(solution: string, identifier: string): Promise<ScheduleNode | undefined> {
    return this.read(() =>
      parseRow(
        this.open()
          .prepare<[string, string], { node: string }>(
            'SELECT node FROM schedule_nodes WHERE solution = ? AND identifier = ?',
          )
          .get(solution, identifier),
      ),
    );
  }

  getByReference(solution: string, reference: string): Promise<ScheduleNode | undefined> {
    return this.read(() =>
      parseRow(
        this.open()
          .prepare<[string, string], { node: string }>(
            'SELECT node FROM schedule_nodes WHERE solution = ? AND reference = ?',
          )
          .get(solution, reference),
      ),
    );
  }

  list(solution: string): Promise<ScheduleNode[]> {
    return this.read(() =>
      this.open()
        .prepare<[string], { node: string }>(
          'SELECT node FROM schedule_nodes WHERE solution = ? ORDER BY identifier',
        )
        .all(solution)
        .map((row) => parseRow(row) as ScheduleNode),
    );
  }

  add(node: ScheduleNode): Promise<'identifier' | 'reference' | undefined> {
    return this.read(() => {
      const db = this.open();
      return db
        .transaction((): 'identifier' | 'reference' | undefined => {
          const taken = db
            .prepare<[string, string, string], { identifier: string }>(
              'SELECT identifier FROM schedule_nodes WHERE solution = ? AND (identifier = ? OR reference = ?)',
            )
            .all(node.solution, node.identifier, node.reference);
          if (taken.some((row) => row.identifier === node.identifier)) return 'identifier';
          if (taken.length > 0) return 'reference';
          db.prepare(
            'INSERT INTO schedule_nodes (solution, identifier, reference, node) VALUES (?, ?, ?, ?)',
          ).run(node.solution, node.identifier, node.reference, JSON.stringify(node));
          return undefined;
        })
        .immediate();
    });
  }

  remove(solution: string, identifier: string): Promise<boolean> {
    return this.read(
      () =>
        this.open()
          .prepare('DELETE FROM schedule_nodes WHERE solution = ? AND identifier = ?')
          .run(solution, identifier).changes > 0,
    );
  }

  close(): Promise<void> {
    this.closed = true;
    this.db?.close();
    this.db = undefined;
    return Promise.resolve();
  }

  private read<T>(operation: () => T): Promise<T> {
    try {
      return Promise.resolve(translated(operation));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
