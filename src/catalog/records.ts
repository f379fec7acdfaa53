/**
 * Stored runbook records read back, the same way by every store: a record that no longer parses as a
 * {@link Runbook}, or whose content names another key than the one it is stored under, is treated as absent
 * and reported once through the store's warnings.
 */
import { CatalogWarningCode, CatalogWarningMessages, type CatalogWarning } from './errors';
import { RunbookSchema, type Runbook } from './model';

/** The default warning sink of the stores: a Node process warning (type `RunbookCatalogWarning`), printed on stderr. */
export function emitProcessWarning(warning: CatalogWarning): void {
  process.emitWarning(warning.message, { type: 'RunbookCatalogWarning', code: warning.code });
}

/** Decodes stored records of one store, reporting each unreadable record once. */
export class RecordDecoder {
  private readonly reported = new Set<string>();

  /** @param onWarning where an unreadable record is reported (once per record content). */
  constructor(private readonly onWarning: (warning: CatalogWarning) => void) {}

  /**
   * The runbook stored under (solution, uuid), or undefined (reported) when it does not parse or names another
   * key. `stored` is the record as the store gives it: JSON text, or a value the driver already parsed.
   */
  decode(solution: string, uuid: string, stored: unknown): Runbook | undefined {
    let reason: string;
    try {
      const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
      const parsed = RunbookSchema.safeParse(value);
      if (parsed.success && parsed.data.solution === solution && parsed.data.uuid === uuid)
        return parsed.data;
      reason = parsed.success
        ? 'its solution or uuid differs from its key'
        : parsed.error.issues.map((issue) => issue.message).join('; ');
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    const key = JSON.stringify([
      solution,
      uuid,
      typeof stored === 'string' ? stored : JSON.stringify(stored),
    ]);
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.onWarning({
        code: CatalogWarningCode.CorruptRecord,
        message: CatalogWarningMessages.corruptRecord(solution, uuid, reason),
        solution,
        uuid,
      });
    }
    return undefined;
  }
}

/** Runbooks in the catalog's order: by name as the JSON catalog ordered them (localeCompare), then by uuid. */
export function inCatalogOrder(runbooks: Runbook[]): Runbook[] {
  return runbooks.sort(
    (a, b) => a.name.localeCompare(b.name) || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0),
  );
}
