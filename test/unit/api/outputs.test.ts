/**
 * The output schemas describe exactly what the service returns: their inferred types and the service's
 * interfaces are assignable both ways (checked by the type checker, `npm run typecheck`), and real-shaped
 * outputs parse without losing a field.
 */
import type { z } from 'zod';
import {
  CreateScheduleOutputSchema,
  ErrorBodySchema,
  InternalErrorBodySchema,
  RunbookListSchema,
  RunListSchema,
  RunViewSchema,
  ScheduleListSchema,
  ScheduleViewSchema,
  StoredRecurrenceSchema,
  SuccessSchema,
  UnavailableBodySchema,
  type CreateScheduleOutput,
  type RunView,
  type ScheduleView,
  type StoredRecurrence,
  type Success,
} from '../../../src/connector/outputs';
import type * as service from '../../../src/connector/scheduler-service';
import type { Recurrence } from '../../../src/recurrence';
import type { RunView as ServiceRunView } from '../../../src/temporal/runs';
import { CREATED, RUN, RUNBOOK, VIEW } from './fake-service';

/** True when A and B are assignable to each other (readonly aside). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(value: T): T => value;

test('the inferred types are the service’s types', () => {
  expect([
    same<Same<CreateScheduleOutput, service.CreateScheduleOutput>>(true),
    same<Same<ScheduleView, service.ScheduleView>>(true),
    same<Same<RunView, ServiceRunView>>(true),
    same<Same<StoredRecurrence, Recurrence>>(true),
    same<Same<Success, Awaited<ReturnType<service.SchedulerService['deleteSchedule']>>>>(true),
  ]).toEqual([true, true, true, true, true]);
});

test.each<[string, z.ZodType, unknown]>([
  ['Create Schedule output', CreateScheduleOutputSchema, CREATED],
  ['a schedule', ScheduleViewSchema, VIEW],
  ['a run', RunViewSchema, RUN],
  [
    'a run still running',
    RunViewSchema,
    { ...RUN, status: 'RUNNING', dispatch_status: null, closed_at: null, duration_ms: null },
  ],
  ['success', SuccessSchema, { success: true }],
  ['a page of schedules', ScheduleListSchema, { schedules: [VIEW], next_page_token: 'dG9rZW4' }],
  ['the last page of schedules', ScheduleListSchema, { schedules: [VIEW], next_page_token: null }],
  ['the runs', RunListSchema, { runs: [RUN] }],
  ['the runbooks', RunbookListSchema, { runbooks: [RUNBOOK] }],
  ['a refusal', ErrorBodySchema, { error: 'Schedule not found', details: [] }],
  ['an outage', UnavailableBodySchema, { error: 'Temporal is unavailable: deadline exceeded' }],
  ['an internal error', InternalErrorBodySchema, { error: 'Internal error', request_id: 'r-1' }],
])('%s parses as itself', (_name, schema, value) => {
  expect(schema.parse(value)).toEqual(value);
});

test.each<[string, Recurrence]>([
  [
    'no_repeat',
    {
      frequency: 'no_repeat',
      disabled: false,
      time_zone: 'UTC',
      start_date: '2026-05-01',
      time_of_day: '09:00:00',
    },
  ],
  [
    'hourly',
    {
      frequency: 'hourly',
      disabled: true,
      interval: 2,
      time_zone: 'UTC',
      start_date: '2026-05-01',
      time_of_day: '09:00:00',
      end_date: '2026-06-01',
    },
  ],
  [
    'monthly by day',
    {
      frequency: 'monthly',
      disabled: false,
      interval: 1,
      time_zone: 'Europe/Amsterdam',
      start_date: '2026-05-01',
      time_of_day: '09:00',
      day_of_week: false,
      day_of_month: [1, -1],
    },
  ],
  [
    'monthly by weekday',
    {
      frequency: 'monthly',
      disabled: false,
      interval: 1,
      time_zone: 'UTC',
      start_date: '2026-05-01',
      time_of_day: '09:00',
      day_of_week: true,
      day_of_week_index: -1,
      day_of_week_day: 'friday',
    },
  ],
  [
    'yearly',
    {
      frequency: 'yearly',
      disabled: false,
      interval: 1,
      time_zone: 'UTC',
      start_date: '2026-05-01',
      time_of_day: '09:00',
      month_of_year: [5],
      day_of_week: false,
    },
  ],
])('a stored %s recurrence parses as itself', (_name, recurrence) => {
  expect(StoredRecurrenceSchema.parse(recurrence)).toEqual(recurrence);
});
