/**
 * Fuzz (issue 9, item 9b): random inputs through every action's input schema (Create, Update and Delete
 * Schedule, List Runs). Each parses, or fails with messages that each name a field of that schema; parsing
 * never throws and no call takes over 50 ms.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import {
  CreateScheduleInputSchema,
  ListRunsInputSchema,
  ScheduleReferenceInputSchema,
  UpdateScheduleInputSchema,
  issueMessages,
} from '../../../src/connector/inputs';
import {
  createScheduleInput,
  listRunsInput,
  scheduleReferenceInput,
  updateScheduleInput,
} from './arbitraries';
import {
  FUZZ_RUNS,
  FUZZ_TIMEOUT_MS,
  MAX_CALL_MS,
  SEEDS,
  Timings,
  fieldNamesOf,
  namesAField,
  report,
} from './support';

const ACTIONS: Array<[string, z.ZodType, fc.Arbitrary<unknown>]> = [
  ['Create Schedule', CreateScheduleInputSchema, createScheduleInput],
  ['Update Schedule', UpdateScheduleInputSchema, updateScheduleInput],
  ['Delete Schedule', ScheduleReferenceInputSchema, scheduleReferenceInput],
  ['List Runs', ListRunsInputSchema, listRunsInput],
];

test.each(ACTIONS)(
  `${FUZZ_RUNS} random %s inputs: parsed, or messages naming a field`,
  async (action, schema, input) => {
    const names = fieldNamesOf(schema, 'Input');
    const parse = new Timings();
    let accepted = 0;
    const started = performance.now();
    fc.assert(
      fc.property(input, (value) => {
        const result = parse.time(() => schema.safeParse(value));
        if (result.success) {
          accepted++;
          return;
        }
        const messages = issueMessages(result.error);
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages)
          expect([message, namesAField(message, names)]).toEqual([message, true]);
      }),
      { seed: SEEDS.inputs, numRuns: FUZZ_RUNS },
    );
    const figures = { accepted, parse: { ...parse.summary(), remeasuredMaxMs: await parse.remeasure() } };
    report(`inputs ${action}`, { ...figures, totalS: Math.round(performance.now() - started) / 1000 });
    expect(accepted).toBeGreaterThan(FUZZ_RUNS * 0.2);
    expect(FUZZ_RUNS - accepted).toBeGreaterThan(FUZZ_RUNS * 0.2);
    expect(figures.parse.remeasuredMaxMs).toBeLessThanOrEqual(MAX_CALL_MS);
  },
  FUZZ_TIMEOUT_MS,
);
