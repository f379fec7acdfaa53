/**
 * Fuzz (issue 9, item 9a): random recurrences through validateRecurrence with a fixed clock. Every input gets a
 * normalised rule or messages that each name a field; nothing throws; no call takes over 50 ms; and every
 * accepted rule answers nextOccurrence and nextOccurrences (strictly later instants, or a reason) without
 * throwing.
 */
import fc from 'fast-check';
import {
  NoOccurrenceReason,
  nextOccurrence,
  nextOccurrences,
  recurrenceJsonSchema,
  validateRecurrence,
} from '../../../src/recurrence';
import { recurrenceInput } from './arbitraries';
import { NOW } from './service';
import {
  FUZZ_RUNS,
  FUZZ_TIMEOUT_MS,
  MAX_CALL_MS,
  SEEDS,
  Timings,
  displayNames,
  namesAField,
  report,
} from './support';

const REASONS = new Set<string>(Object.values(NoOccurrenceReason));
const NAMES = displayNames(recurrenceJsonSchema(), 'Recurrence');

test(
  `${FUZZ_RUNS} random recurrences: a rule or messages naming a field, its next occurrences computable`,
  async () => {
    const validate = new Timings();
    const next = new Timings();
    let accepted = 0;
    const started = performance.now();
    fc.assert(
      fc.property(recurrenceInput, fc.boolean(), (input, withDefaultZone) => {
        const options = withDefaultZone ? { now: NOW, defaultTimeZone: 'Europe/Amsterdam' } : { now: NOW };
        const result = validate.time(() => validateRecurrence(input, options));
        if (!result.success) {
          expect(result.messages.length).toBeGreaterThan(0);
          for (const message of result.messages) {
            expect([message, namesAField(message, NAMES)]).toEqual([message, true]);
          }
          return;
        }
        accepted++;
        const rule = result.recurrence;
        const [first, ten] = next.time(
          () => [nextOccurrence(rule, NOW), nextOccurrences(rule, NOW, 10)] as const,
        );
        if (first.at === null) {
          expect(REASONS.has(first.reason)).toBe(true);
          expect(ten).toEqual({ occurrences: [], reason: first.reason });
          return;
        }
        expect(first.at.getTime()).toBeGreaterThan(NOW.getTime());
        expect(ten.occurrences[0]).toEqual(first.at);
        for (let i = 1; i < ten.occurrences.length; i++) {
          expect((ten.occurrences[i] as Date).getTime()).toBeGreaterThan(
            (ten.occurrences[i - 1] as Date).getTime(),
          );
        }
        if (ten.occurrences.length < 10) expect(REASONS.has(ten.reason ?? '')).toBe(true);
      }),
      { seed: SEEDS.recurrence, numRuns: FUZZ_RUNS },
    );
    const figures = {
      accepted,
      validate: { ...validate.summary(), remeasuredMaxMs: await validate.remeasure() },
      next: { ...next.summary(), remeasuredMaxMs: await next.remeasure() },
    };
    report('recurrence', { ...figures, totalS: Math.round(performance.now() - started) / 1000 });
    // Both the refusing and the accepting paths ran, in earnest.
    expect(accepted).toBeGreaterThan(FUZZ_RUNS * 0.3);
    expect(FUZZ_RUNS - accepted).toBeGreaterThan(FUZZ_RUNS * 0.3);
    expect(figures.validate.remeasuredMaxMs).toBeLessThanOrEqual(MAX_CALL_MS);
    expect(figures.next.remeasuredMaxMs).toBeLessThanOrEqual(MAX_CALL_MS);
  },
  FUZZ_TIMEOUT_MS,
);
