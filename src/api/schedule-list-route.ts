/**
 * `GET /v1/schedules`: one page of the caller's schedules (`page_size`, `page_token`), served from Temporal's
 * list and each schedule's memo and search attributes. The service validates the query with
 * `ListSchedulesInputSchema` and words the messages; a query the service refuses is a bad request (400) here,
 * the message naming the parameter (`Page size must be ...`, `Page token is invalid`).
 */
import { z } from 'zod';
import { ActionErrorCode, Messages, ScheduleActionError } from '../connector/errors';
import {
  DEFAULT_SCHEDULE_PAGE_SIZE,
  ListSchedulesInputSchema,
  MAX_SCHEDULE_PAGE_SIZE,
} from '../connector/inputs';
import { ScheduleListSchema } from '../connector/outputs';
import { HttpApiError } from './errors';
import { COMMON_ERRORS, invalid, json, queryValue, type HttpApiService, type ZodFastify } from './routes';

const ListSchedulesQuerySchema = z.object({
  page_size: ListSchedulesInputSchema.shape.page_size,
  page_token: ListSchedulesInputSchema.shape.page_token,
});

/** The query parameters the route reads (a repeated one is read as its first value). */
const PARAMETERS = ['page_size', 'page_token'] as const;

/** Declares `GET /v1/schedules` on `app`. */
export function registerScheduleListRoute(
  app: ZodFastify,
  service: Pick<HttpApiService, 'listSchedulePage'>,
): void {
  app.get(
    '/v1/schedules',
    {
      schema: {
        operationId: 'listSchedules',
        summary: 'List schedules, a page at a time',
        description:
          `One page of the caller's schedules (${DEFAULT_SCHEDULE_PAGE_SIZE} unless \`page_size\` says otherwise, ` +
          `at most ${MAX_SCHEDULE_PAGE_SIZE}), by reference within the page; pass \`next_page_token\` as ` +
          '`page_token` for the next. Eventually consistent: a schedule created or changed a moment ago may not ' +
          'show yet.',
        tags: ['schedules'],
        querystring: ListSchedulesQuerySchema,
        response: {
          200: json("A page of the solution's schedules.", ScheduleListSchema),
          400: invalid(
            '`page_size` or `page_token` is invalid: `Page size must be a number`, ' +
              `\`${Messages.pageTokenInvalid}\` (another solution's token, or one the API did not issue), ...`,
          ),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const input: Record<string, unknown> = {};
      for (const name of PARAMETERS) {
        const value = queryValue(request, name);
        if (value !== undefined) input[name] = value;
      }
      try {
        return await service.listSchedulePage(request.solution, input);
      } catch (err) {
        if (err instanceof ScheduleActionError && err.code === ActionErrorCode.Invalid) {
          throw new HttpApiError(400, err.message, err.details);
        }
        throw err;
      }
    },
  );
}
