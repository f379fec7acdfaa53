/**
 * A stand-in for the scheduler service behind the HTTP API: a plain object that records each call and answers
 * with realistic outputs, or with whatever a test puts in its place.
 */
import { TriggerTemplate, type Runbook } from '../../../src/catalog/model';
import type { HttpApiService } from '../../../src/api/http-api';
import type { CreateScheduleOutput, RunView, ScheduleView } from '../../../src/connector/outputs';
import { tokensOf } from '../../fixtures/tokens';

/** Solution of {@link TOKEN}. */
export const SOLUTION = 'acme';
/** A bearer token of {@link SOLUTION}. */
export const TOKEN = 'token-acme';
/** The tokens the API under test accepts. */
export const TOKENS = tokensOf([
  [TOKEN, SOLUTION],
  ['token-other', 'other'],
]);
/** The `authorization` header of {@link TOKEN}. */
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export const CREATED: CreateScheduleOutput = {
  schedule_reference: 'tenant-42-daily',
  next_occurrence_at: '2026-05-04T09:00:00Z',
  next_occurrence_errors: null,
};

export const VIEW: ScheduleView = {
  schedule_reference: 'tenant-42-daily',
  runbook_uuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  kind: 'dynamic_scheduler',
  schedule: {
    frequency: 'weekly',
    disabled: false,
    interval: 1,
    time_zone: 'UTC',
    start_date: '2026-05-01',
    time_of_day: '09:00:00',
    day: ['monday', 'wednesday', 'friday'],
    week_start: 'monday',
  },
  request_body: { tenant_id: '42' },
  paused: false,
  note: null,
  next_action_times: ['2026-05-04T09:00:00Z', '2026-05-06T09:00:00Z'],
  last_error: null,
  generation: 'g20260501T000000Z',
  temporal_schedule_id: 'rbs:acme:tenant-42-daily',
};

export const RUN: RunView = {
  workflow_id: 'rbs:acme:tenant-42-daily/g1/2026-05-04T09:00:00Z',
  run_id: '0196a1b2-0000-7000-8000-000000000001',
  generation: 'g1',
  triggered_at: '2026-05-04T09:00:00Z',
  status: 'COMPLETED',
  dispatch_status: 'succeeded',
  job_context_identifier: '42',
  started_at: '2026-05-04T09:00:00.120Z',
  closed_at: '2026-05-04T09:00:00.480Z',
  duration_ms: 360,
};

export const RUNBOOK: Runbook = {
  uuid: '7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b54',
  solution: SOLUTION,
  name: 'worker runbook',
  trigger: { template: TriggerTemplate.DynamicScheduler, job_context_identifier_path: 'body.tenant_id' },
  target: { kind: 'http', url: 'http://127.0.0.1:9000/hook' },
};

/** One call the API made: the method and its arguments. */
export interface Call {
  readonly method: keyof HttpApiService;
  readonly args: readonly unknown[];
}

/** A fake service and the calls made to it. */
export interface FakeService {
  readonly service: HttpApiService;
  readonly calls: Call[];
}

/** A fake service answering like the real one on the happy path; `overrides` replace single methods. */
export function fakeService(overrides: Partial<HttpApiService> = {}): FakeService {
  const calls: Call[] = [];
  const answers: HttpApiService = {
    createSchedule: () => Promise.resolve(CREATED),
    updateSchedule: () => Promise.resolve({ success: true }),
    deleteSchedule: () => Promise.resolve({ success: true }),
    getSchedule: () => Promise.resolve(VIEW),
    listSchedulePage: () => Promise.resolve({ schedules: [VIEW], next_page_token: null }),
    listRuns: () => Promise.resolve({ runs: [RUN] }),
    pauseSchedule: () => Promise.resolve({ success: true }),
    resumeSchedule: () => Promise.resolve({ success: true }),
    triggerSchedule: () => Promise.resolve({ success: true }),
    registerRunbook: () => Promise.resolve(RUNBOOK),
    listRunbooks: () => Promise.resolve([RUNBOOK]),
    ...overrides,
  };
  const recorded = Object.fromEntries(
    Object.entries(answers).map(([method, answer]) => [
      method,
      (...args: unknown[]) => {
        calls.push({ method: method as keyof HttpApiService, args });
        return (answer as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as HttpApiService;
  return { service: recorded, calls };
}
