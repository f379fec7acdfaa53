/**
 * The old embedded catalog's format, `<dataDir>/catalog.json` = `{version: 1, runbooks: [...]}`, read once to
 * import it into the SQLite catalog. Pure: no I/O.
 */
import { z } from 'zod';
import { CatalogImportError } from './errors';
import { RunbookSchema, type Runbook } from './model';

/** Base name of the old catalog file. */
export const LEGACY_CATALOG_FILE = 'catalog.json';
/** Base name the old catalog file is renamed to once imported. */
export const IMPORTED_CATALOG_FILE = 'catalog.json.imported';

const LegacyCatalogSchema = z.object({ version: z.literal(1), runbooks: z.array(z.unknown()) });

/** A record of the old file that was not imported, and why. */
export interface SkippedLegacyRecord {
  /** Position in the file's `runbooks` array, from 0. */
  readonly index: number;
  readonly solution?: string;
  readonly uuid?: string;
  readonly reason: string;
}

/** What the old file holds: the valid runbooks, in file order, and the records left out. */
export interface LegacyCatalog {
  readonly runbooks: readonly Runbook[];
  readonly skipped: readonly SkippedLegacyRecord[];
}

function idsOf(record: unknown): { solution?: string; uuid?: string } {
  if (typeof record !== 'object' || record === null) return {};
  const { solution, uuid } = record as Record<string, unknown>;
  return {
    ...(typeof solution === 'string' ? { solution } : {}),
    ...(typeof uuid === 'string' ? { uuid } : {}),
  };
}

/**
 * Parses the old catalog file. Each record is validated with {@link RunbookSchema}: an invalid record, or a
 * second record with the same (solution, uuid), is left out and listed in `skipped` (the old catalog answered
 * `get` with the first of duplicates, so the first is kept).
 * @throws {@link CatalogImportError} when the text is not JSON or not `{version: 1, runbooks: [...]}`.
 */
export function parseLegacyCatalog(text: string): LegacyCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CatalogImportError(LEGACY_CATALOG_FILE, 'it is not valid JSON', { cause: err });
  }
  const file = LegacyCatalogSchema.safeParse(data);
  if (!file.success) {
    throw new CatalogImportError(LEGACY_CATALOG_FILE, 'expected {"version": 1, "runbooks": [...]}', {
      cause: file.error,
    });
  }
  const runbooks: Runbook[] = [];
  const skipped: SkippedLegacyRecord[] = [];
  const seen = new Map<string, number>();
  file.data.runbooks.forEach((record, index) => {
    const parsed = RunbookSchema.safeParse(record);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      skipped.push({ index, ...idsOf(record), reason });
      return;
    }
    const key = JSON.stringify([parsed.data.solution, parsed.data.uuid]);
    const first = seen.get(key);
    if (first !== undefined) {
      skipped.push({
        index,
        solution: parsed.data.solution,
        uuid: parsed.data.uuid,
        reason: `duplicate of runbooks[${first}]`,
      });
      return;
    }
    seen.set(key, index);
    runbooks.push(parsed.data);
  });
  return { runbooks, skipped };
}
