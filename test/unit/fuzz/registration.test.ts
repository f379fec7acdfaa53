/**
 * Fuzz (issue 9, item 9c): random runbooks through SchedulerService.registerRunbook over the in-memory gateway
 * and catalog. Each is registered, or refused with a ScheduleActionError `Failed to register schedule: ...` whose
 * details each name a field (or are explained by a known, reported bug); nothing else is thrown; no call takes
 * over 50 ms; and every schedule a registration provisioned has a rule whose next occurrences are computable.
 */
import fc from 'fast-check';
import { TriggerTemplate, type Runbook } from '../../../src/catalog/model';
import { Messages, ScheduleActionError } from '../../../src/connector/errors';
import { nextOccurrence, nextOccurrences } from '../../../src/recurrence';
import { registrationInput } from './arbitraries';
import { KnownBugTally, RUNBOOK_NAMES } from './known-bugs';
import { NOW, SOLUTION, freshService } from './service';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, MAX_CALL_MS, SEEDS, Timings, namesAField, report } from './support';

/** Fresh fixtures every this many registrations, so the in-memory stores stay small (and under the quota). */
const RESET_EVERY = 100;

test(
  `${FUZZ_RUNS} random runbooks: registered, or refused with details naming a field`,
  async () => {
    const register = new Timings();
    const known = new KnownBugTally();
    let accepted = 0;
    let provisioned = 0;
    let fixtures = freshService();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(registrationInput(SOLUTION), async (input) => {
        if (register.count % RESET_EVERY === 0) fixtures = freshService();
        const { service, gateway } = fixtures;
        let runbook: Runbook;
        try {
          runbook = await register.timeAsync(() => service.registerRunbook(input));
        } catch (error) {
          expect(error).toBeInstanceOf(ScheduleActionError);
          const { message, details } = error as ScheduleActionError;
          expect(details.length).toBeGreaterThan(0);
          expect(message).toBe(Messages.registerFailed(details.join('; ')));
          known.refusal(
            input,
            details.filter((detail) => !namesAField(detail, RUNBOOK_NAMES)),
          );
          return;
        }
        accepted++;
        if (runbook.trigger.template !== TriggerTemplate.Scheduler) return;
        provisioned++;
        const reference = runbook.trigger.schedule_reference;
        const stored = [...gateway.schedules.values()].find((entry) => entry.input.reference === reference);
        expect(stored).toBeDefined();
        if (stored === undefined) return;
        nextOccurrence(stored.input.recurrence, NOW);
        nextOccurrences(stored.input.recurrence, NOW, 10);
      }),
      { seed: SEEDS.registration, numRuns: FUZZ_RUNS },
    );
    const figures = {
      accepted,
      provisioned,
      knownBugs: known.counts(),
      register: { ...register.summary(), remeasuredMaxMs: await register.remeasure() },
    };
    report('registration', { ...figures, totalS: Math.round(performance.now() - started) / 1000 });
    expect(accepted).toBeGreaterThan(FUZZ_RUNS * 0.1);
    expect(provisioned).toBeGreaterThan(FUZZ_RUNS * 0.03);
    expect(figures.register.remeasuredMaxMs).toBeLessThanOrEqual(MAX_CALL_MS);
    known.expectEachStillOccurs();
  },
  FUZZ_TIMEOUT_MS,
);
