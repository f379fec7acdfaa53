/**
 * Refusals known not to name their field: each a bug reported to the owner of a file outside the fuzz suites,
 * recognised by where RegisterRunbookInputSchema (the schema the registry parses with) reports it. A suite
 * tallies them with a reproducing input each, and fails once one no longer occurs, so a fixed bug's entry cannot
 * linger here.
 */
import { RegisterRunbookInputSchema } from '../../../src/connector/inputs';
import { recurrenceJsonSchema } from '../../../src/recurrence';
import { displayNames, fieldNamesOf, preview, union } from './support';

/** Display names of a registration's fields, its recurrence's, and `Input` (the input as a whole). */
export const RUNBOOK_NAMES = union(
  fieldNamesOf(RegisterRunbookInputSchema, 'Runbook'),
  displayNames(recurrenceJsonSchema(), 'Recurrence'),
  new Set(['Input']),
);

/**
 * The known bugs, by name: none open. (DispatchTargetSchema's workflowType/taskQueue messages, found by this
 * suite, now name their field.) A new entry needs a matcher in {@link knownBugOf}.
 */
export const KNOWN_BUGS: Readonly<Record<string, string>> = {};
/** A known bug's name. */
export type KnownBug = string;

/** Which known bug explains a registration message that names no field, or undefined: then it is a new bug. */
export function knownBugOf(_runbook: unknown, _message: string): KnownBug | undefined {
  return undefined;
}

/** How many refusals each known bug explained, with the first reproducing input. */
export class KnownBugTally {
  private readonly seen = new Map<KnownBug, { refusals: number; example: string }>();

  /**
   * Records a refusal's messages that name no field; each must be explained by a known bug.
   * @param runbook the runbook as the registry received it.
   */
  refusal(runbook: unknown, unnamed: readonly string[]): void {
    const bugs = new Set<KnownBug>();
    for (const message of unnamed) {
      const bug = knownBugOf(runbook, message);
      expect([message, bug ?? 'a new bug: no known bug explains it']).toEqual([message, expect.any(String)]);
      if (bug !== undefined) bugs.add(bug);
    }
    for (const bug of bugs) {
      const entry = this.seen.get(bug) ?? { refusals: 0, example: preview({ runbook, unnamed }) };
      entry.refusals++;
      this.seen.set(bug, entry);
    }
  }

  /** Refusals per known bug. */
  counts(): Record<string, number> {
    return Object.fromEntries(Object.keys(KNOWN_BUGS).map((bug) => [bug, this.seen.get(bug)?.refusals ?? 0]));
  }

  /** Prints a reproducing input per known bug, and fails for a bug that no longer occurs. */
  expectEachStillOccurs(): void {
    for (const bug of Object.keys(KNOWN_BUGS)) {
      const entry = this.seen.get(bug);
      if (entry) console.log(`known bug ${bug}: ${KNOWN_BUGS[bug]}; e.g. ${entry.example}`);
      expect([bug, entry ? 'still occurs' : 'fixed: remove it from KNOWN_BUGS']).toEqual([
        bug,
        'still occurs',
      ]);
    }
  }
}
