/**
 * The routes of operating a schedule (FEATURES.md B1-B3, B8): start, pause, resume, stop, retry, status
 * (Refresh) and run-now, each acting as the caller's principal. Registered by `buildHttpApi` beside the
 * connector's routes.
 */
import { SuccessSchema } from '../connector/outputs';
import { Messages } from '../connector/errors';
import { RunNowInputSchema, StartScheduleInputSchema } from '../operations/inputs';
import type { ScheduleOperations } from '../operations/schedule-operations';
import { RunNowResultSchema, ScheduleStatusSchema } from '../operations/views';
import {
  asObject,
  BODY_ERRORS,
  COMMON_ERRORS,
  invalid,
  json,
  rawBody,
  ReferenceParamsSchema,
  referenceErrors,
  referenceOf,
  type HttpApiService,
  type ZodFastify,
} from './routes';

/** What the operation routes call: the operations' public methods, so a test can pass a plain object. */
export type HttpOperationsApi = Pick<
  ScheduleOperations,
  'start' | 'pause' | 'resume' | 'stop' | 'retry' | 'status' | 'runNow'
>;

const tags = ['operations'];
const notFound = { 404: invalid(`\`${Messages.scheduleNotFound}\``) };
const conflict = {
  409: invalid(
    `\`${Messages.operationPending('<Pausing|...>')}\`, \`${Messages.alreadyActive}\` or \`${Messages.scheduleStopped}\``,
  ),
};

/**
 * Declares the operation routes. Without `operations` (an API over a bare service, as unit tests build it) only
 * pause and resume are served, applied at once by the service.
 */
export function registerOperationRoutes(
  app: ZodFastify,
  service: Pick<HttpApiService, 'pauseSchedule' | 'resumeSchedule'>,
  operations: HttpOperationsApi | undefined,
): void {
  const withBody = { readsBody: true };
  const lifecycle = [
    ['pause', 'pauseSchedule', 'Pause: a durable operation; reads Pausing until it completes'],
    ['resume', 'resumeSchedule', 'Resume: fires from now on, nothing of the paused period caught up'],
  ] as const;
  for (const [command, method, summary] of lifecycle) {
    app.post(
      `/v1/schedules/:reference/${command}`,
      {
        // Read, so that a malformed body is refused as on every other POST; its content is not used.
        config: withBody,
        schema: {
          operationId: method,
          summary,
          tags,
          params: ReferenceParamsSchema,
          response: {
            200: json('The schedule and its status.', ScheduleStatusSchema.or(SuccessSchema)),
            ...BODY_ERRORS,
            ...referenceErrors,
            ...notFound,
            ...conflict,
            422: invalid('The reference is invalid.'),
            ...COMMON_ERRORS,
          },
        },
      },
      (request) => {
        const input = { schedule_reference: referenceOf(request) };
        if (!operations) return service[method](request.solution, input);
        return command === 'pause'
          ? operations.pause(request.principal, input)
          : operations.resume(request.principal, input);
      },
    );
  }
  if (!operations) return;

  app.post(
    '/v1/schedules/:reference/start',
    {
      config: withBody,
      schema: {
        operationId: 'startSchedule',
        summary: 'Start (activate) a stopped or paused schedule: fires from now on, without catching up',
        description:
          "`parameters` gives new values of the runbook's parameters; `submitted_by` (ServiceAdministrator only) the user its runs are submitted as.",
        tags,
        params: ReferenceParamsSchema,
        body: StartScheduleInputSchema.omit({ schedule_reference: true }).optional(),
        response: {
          200: json('The schedule and its status.', ScheduleStatusSchema),
          ...BODY_ERRORS,
          ...referenceErrors,
          403: invalid(`\`${Messages.roleRequired('ServiceAdministrator', 'change the submitting user')}\``),
          ...notFound,
          ...conflict,
          422: invalid('The reference, a parameter or `submitted_by` is invalid; the message names it.'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) =>
      operations.start(request.principal, {
        ...(request.body === undefined ? {} : asObject(rawBody(request))),
        schedule_reference: referenceOf(request),
      }),
  );

  const simple = [
    ['stop', 'stopSchedule', 'Stop: the schedule no longer fires; its queued instance is aborted'],
    [
      'retry',
      'retrySchedule',
      'Retry a pending operation now; refused within 10 minutes of the previous retry',
    ],
  ] as const;
  for (const [command, operationId, summary] of simple) {
    app.post(
      `/v1/schedules/:reference/${command}`,
      {
        config: withBody,
        schema: {
          operationId,
          summary,
          tags,
          params: ReferenceParamsSchema,
          response: {
            200: json('The schedule and its status.', ScheduleStatusSchema),
            ...BODY_ERRORS,
            ...referenceErrors,
            ...notFound,
            409: command === 'retry' ? invalid(`\`${Messages.nothingToRetry}\``) : conflict[409],
            ...(command === 'retry'
              ? { 429: invalid(`\`${Messages.retryTooSoon('<ISO 8601 instant>')}\``) }
              : {}),
            422: invalid('The reference is invalid.'),
            ...COMMON_ERRORS,
          },
        },
      },
      (request) => {
        const input = { schedule_reference: referenceOf(request) };
        return command === 'stop'
          ? operations.stop(request.principal, input)
          : operations.retry(request.principal, input);
      },
    );
  }

  app.get(
    '/v1/schedules/:reference/status',
    {
      schema: {
        operationId: 'scheduleStatus',
        summary: 'Refresh: the status, pending and last operation, submitting user and parameters',
        tags,
        params: ReferenceParamsSchema,
        response: {
          200: json('The schedule and its status.', ScheduleStatusSchema),
          ...referenceErrors,
          ...notFound,
          422: invalid('The reference is invalid.'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => operations.status(request.principal, { schedule_reference: referenceOf(request) }),
  );

  app.post(
    '/v1/schedules/:reference/run-now',
    {
      config: withBody,
      schema: {
        operationId: 'runNow',
        summary: 'Run now: an instance of its own outside the cadence, submitted by the caller',
        tags,
        params: ReferenceParamsSchema,
        body: RunNowInputSchema.omit({ schedule_reference: true }).optional(),
        response: {
          200: json('The instance started.', RunNowResultSchema),
          ...BODY_ERRORS,
          ...referenceErrors,
          ...notFound,
          422: invalid('The reference or a parameter is invalid; the message names it.'),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) =>
      operations.runNow(request.principal, {
        ...(request.body === undefined ? {} : asObject(rawBody(request))),
        schedule_reference: referenceOf(request),
      }),
  );
}
