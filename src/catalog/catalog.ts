/**
 * The runbook catalog: where runbooks, their triggers and targets live, scoped by solution.
 */
import type { Runbook } from './model';

/** Storage of runbooks. Every read is scoped to one solution: no call returns another solution's runbook. */
export interface RunbookCatalog {
  /** The runbook with this uuid in this solution, or undefined. */
  get(solution: string, uuid: string): Promise<Runbook | undefined>;
  /** Every runbook of a solution, ordered by name. */
  list(solution: string): Promise<Runbook[]>;
  /**
   * Inserts or replaces a runbook (keyed by solution and uuid), atomically with reading what it replaced: of two
   * concurrent puts of one runbook, the second returns the first, so what the first provisioned is never lost
   * track of.
   * @returns the runbook it replaced, or undefined when there was none.
   */
  put(runbook: Runbook): Promise<Runbook | undefined>;
  /** Removes a runbook; true when it existed. */
  remove(solution: string, uuid: string): Promise<boolean>;
  /**
   * Releases the store's connections; calls made afterwards fail. Optional: a store that holds nothing
   * (an in-memory fake) has nothing to release.
   */
  close?(): Promise<void>;
}
