/**
 * Fuzz (issue 9, item 9d): random requests through the HTTP API's `inject()` (methods, paths, bodies, content
 * types, tokens) over the real SchedulerService on the in-memory gateway and catalog, so validation runs for
 * real. No request is answered 500; every refusal is a JSON `{error, details}` whose error is one of the
 * product's exact messages or names a field, and whose details each name a field (or are explained by a known,
 * reported bug); no request takes over 50 ms.
 */
import fc from 'fast-check';
import { buildHttpApi, type HttpApiService } from '../../../src/api/http-api';
import { ApiMessages } from '../../../src/api/errors';
import { Messages } from '../../../src/connector/errors';
import { INTERNAL_ERROR_MESSAGE } from '../../../src/connector/outputs';
import type { SchedulerService } from '../../../src/connector/scheduler-service';
import { recurrenceJsonSchema } from '../../../src/recurrence';
import {
  CreateScheduleInputSchema,
  ListRunsInputSchema,
  ListSchedulesInputSchema,
} from '../../../src/connector/inputs';
import { DYNAMIC_RUNBOOK_UUID, httpRequest } from './arbitraries';
import { KnownBugTally, RUNBOOK_NAMES } from './known-bugs';
import { SOLUTION, freshService } from './service';
import {
  FUZZ_RUNS,
  FUZZ_TIMEOUT_MS,
  MAX_CALL_MS,
  SEEDS,
  Timings,
  displayNames,
  fieldNamesOf,
  namesAField,
  preview,
  report,
  union,
} from './support';
import { tokensOf } from '../../fixtures/tokens';

const TOKENS = tokensOf([
  ['token-acme', SOLUTION],
  ['token-other', 'other'],
]);
/** Fresh fixtures every this many requests, with the Dynamic Scheduler runbook registered in both solutions. */
const RESET_EVERY = 200;

const NAMES = union(
  RUNBOOK_NAMES,
  fieldNamesOf(CreateScheduleInputSchema, 'Input'),
  fieldNamesOf(ListRunsInputSchema, 'Input'),
  fieldNamesOf(ListSchedulesInputSchema, 'Input'),
  displayNames(recurrenceJsonSchema(), 'Recurrence'),
);
/** Every exact message the API answers with, as given (the parameterised ones are matched by their start). */
const EXACT = new Set<string>(
  [...Object.values(ApiMessages), ...Object.values(Messages)].filter((m) => typeof m === 'string'),
);
const EXACT_PREFIXES = [
  ApiMessages.noRoute('', '').trim(),
  ApiMessages.methodNotAllowed('', '').split(' ')[0] ?? 'Method',
  Messages.createInvalid([]).replace('[]', ''),
  Messages.registerFailed(''),
  Messages.templateNotSupported('').replace(/ is not .*/, ''),
];

/** Whether an answer's `error` is one of the product's messages: exact, parameterised, or naming a field. */
function isProductMessage(error: string): boolean {
  return EXACT.has(error) || EXACT_PREFIXES.some((p) => error.startsWith(p)) || namesAField(error, NAMES);
}

test(
  `${FUZZ_RUNS} random requests: no 500, every refusal an exact message or one naming a field`,
  async () => {
    let current: SchedulerService = freshService().service;
    const delegate: HttpApiService = {
      createSchedule: (...args) => current.createSchedule(...args),
      updateSchedule: (...args) => current.updateSchedule(...args),
      deleteSchedule: (...args) => current.deleteSchedule(...args),
      getSchedule: (...args) => current.getSchedule(...args),
      listSchedulePage: (...args) => current.listSchedulePage(...args),
      listRuns: (...args) => current.listRuns(...args),
      pauseSchedule: (...args) => current.pauseSchedule(...args),
      resumeSchedule: (...args) => current.resumeSchedule(...args),
      triggerSchedule: (...args) => current.triggerSchedule(...args),
      registerRunbook: (...args) => current.registerRunbook(...args),
      listRunbooks: (...args) => current.listRunbooks(...args),
    };
    const errorLog: string[] = [];
    const app = buildHttpApi(delegate, TOKENS, {
      logger: { level: 'error', stream: { write: (line: string) => errorLog.push(line) } },
      // The rate limit has its own tests; here it would answer 429 to nearly everything.
      rateLimitPerMinute: Number.MAX_SAFE_INTEGER,
    });
    const inject = new Timings();
    const known = new KnownBugTally();
    const statuses = new Map<number, number>();
    let remeasuredMaxMs: number | undefined;
    const started = performance.now();
    try {
      await app.ready();
      await fc.assert(
        fc.asyncProperty(httpRequest, async (options) => {
          if (inject.count % RESET_EVERY === 0) {
            current = freshService().service;
            for (const { solution } of TOKENS.values()) {
              await current.registerRunbook({
                uuid: DYNAMIC_RUNBOOK_UUID,
                solution,
                name: 'fuzz runbook',
                trigger: { template: '9e3c1f04-7a2b-4d6e-8c5f-0b1a2d3e4f72' },
                target: { kind: 'http', url: 'https://example.com/hook' },
              });
            }
          }
          const res = await inject.timeAsync(() => app.inject(options));
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect([res.statusCode, errorLog]).not.toEqual([500, expect.anything()]);
          expect(res.statusCode).toBeGreaterThanOrEqual(200);
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode < 400) return;
          // A HEAD answer has no body, by HTTP; its status says what a GET would.
          if (options.method === 'HEAD') return;
          const body = res.json<{ error?: unknown; details?: unknown }>();
          expect(typeof body.error).toBe('string');
          const error = body.error as string;
          expect(error).not.toBe(INTERNAL_ERROR_MESSAGE);
          expect([error, isProductMessage(error)]).toEqual([error, true]);
          const details = (body.details ?? []) as string[];
          expect(Array.isArray(details)).toBe(true);
          const unnamed = details.filter((d) => !namesAField(d, NAMES) && !EXACT.has(d));
          if (unnamed.length === 0) return;
          // Only a registration may carry a known bug's message; anything else is a new one.
          expect([options.url, preview(unnamed)]).toEqual(['/v1/runbooks', preview(unnamed)]);
          known.refusal(
            { ...(JSON.parse(options.payload as string) as object), solution: SOLUTION },
            unnamed,
          );
        }),
        { seed: SEEDS.http, numRuns: FUZZ_RUNS },
      );
      // Before closing: the slow requests are sent again to the same app.
      remeasuredMaxMs = await inject.remeasure();
    } finally {
      await app.close();
    }
    const byStatus = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    const figures = { byStatus, knownBugs: known.counts(), inject: { ...inject.summary(), remeasuredMaxMs } };
    report('http', { ...figures, totalS: Math.round(performance.now() - started) / 1000 });
    // The accepting paths ran: registrations, creates, reads, updates and commands that succeeded.
    for (const status of [200, 201, 400, 401, 404, 405, 422])
      expect([status, statuses.get(status) ?? 0]).not.toEqual([status, 0]);
    expect(figures.inject.remeasuredMaxMs).toBeLessThanOrEqual(MAX_CALL_MS);
  },
  FUZZ_TIMEOUT_MS,
);
