/**
 * A stand-in for the schedule operations behind the HTTP API: records each call (the principal and the raw
 * input) and answers with a status view, or with whatever a test puts in its place.
 */
import type { HttpOperationsApi } from '../../../src/api/operation-routes';
import type { RunNowResult, ScheduleStatusView } from '../../../src/operations/views';

/** The status every fake operation answers. */
export const STATUS: ScheduleStatusView = {
  success: true,
  schedule_reference: 'r',
  status: 'Pausing',
  pending_operation: { kind: 'Pause', requested_by: 'api', requested_at: '2026-12-02T04:00:00.000Z' },
  last_operation: null,
  submitted_by: 'api',
  parameters: [],
  next_retry_allowed_at: null,
};

/** What Run now answers. */
export const RUN_NOW: RunNowResult = {
  schedule_reference: 'r',
  workflow_id: 'rbs:acme:r:g-RunNow-2026-12-02T04:00:00.000Z',
  run_id: 'run',
  instance_type: 'RunNow',
  submitted_by: 'api',
  parameters: null,
};

/** One recorded call. */
export interface OperationCall {
  readonly method: keyof HttpOperationsApi;
  readonly args: unknown[];
}

/** A fake of the operations; `overrides` replace single methods. */
export function fakeOperations(overrides: Partial<HttpOperationsApi> = {}): {
  operations: HttpOperationsApi;
  calls: OperationCall[];
} {
  const calls: OperationCall[] = [];
  const status = () => Promise.resolve(STATUS);
  const answers: HttpOperationsApi = {
    start: status,
    pause: status,
    resume: status,
    stop: status,
    retry: status,
    status,
    runNow: () => Promise.resolve(RUN_NOW),
    ...overrides,
  };
  const operations = Object.fromEntries(
    Object.entries(answers).map(([method, answer]) => [
      method,
      (...args: unknown[]) => {
        calls.push({ method: method as keyof HttpOperationsApi, args });
        return (answer as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as HttpOperationsApi;
  return { operations, calls };
}
