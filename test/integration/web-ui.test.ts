/**
 * What an operator sees in the Temporal Web UI (issue 10, point 9): a schedule created through the product and
 * run once by a real worker, opened in headless Chromium on the dev server's Web UI. The schedule's page shows
 * its id, note, search attributes and spec; the run's pages show its status search attribute, its summary and
 * its event history. Screenshots of each page are written for the README (`WEB_UI_SCREENSHOTS_DIR`).
 */
import { temporal } from '@temporalio/proto';
import { scheduleIdFor } from '../../src/temporal/schedule-ids';
import {
  DISPATCH_STATUS,
  GENERATION,
  REFERENCE,
  RUNBOOK,
  SOLUTION,
} from '../../src/temporal/search-attributes';
import { createDailySchedule, fireNow, useConnectorWorld } from './connector-fixtures';
import { TEST_NAMESPACE, uniqueId } from './harness';
import { launchWebUiBrowser, type WebUiBrowser } from './web-ui-browser';

jest.setTimeout(90_000);

const world = useConnectorWorld();
let browser: WebUiBrowser;

beforeAll(async () => {
  browser = await launchWebUiBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * The search attributes a finished, successful run shows an operator, with their values: one line per attribute
 * (an instance status attribute joins with one more line).
 */
const SUCCEEDED_RUN_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  [DISPATCH_STATUS.name, 'succeeded'],
];

/** How the Web UI names an event type: `EVENT_TYPE_ACTIVITY_TASK_COMPLETED` reads `Activity Task Completed`. */
function eventTypeLabel(type: temporal.api.enums.v1.EventType | null | undefined): string {
  const name = temporal.api.enums.v1.EventType[type ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
  return name
    .replace(/^EVENT_TYPE_/, '')
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}

/** How the Web UI summarises one calendar entry of a spec: `At 09:00 on day 4 of December in 2026`. */
function calendarEntryLabel(instant: Date): string {
  const month = instant.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  const time = instant.toISOString().slice(11, 16);
  return `At ${time} on day ${instant.getUTCDate()} of ${month} in ${instant.getUTCFullYear()}`;
}

/** `"Key": "value"`, as the Web UI prints a search attribute in its JSON view. */
function jsonEntry(key: string, value: string): string {
  return `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
}

test('the Web UI shows the schedule with its note and spec, and its run with status, summary and history', async () => {
  const solution = uniqueId('acme');
  const reference = uniqueId('nightly-backup');
  const scheduleId = scheduleIdFor(solution, reference);
  const runbookUuid = await createDailySchedule(world.service, solution, reference, {
    kind: 'http',
    url: `${world.receiver.url}/runbook`,
  });
  try {
    const run = await fireNow(world.scheduler, solution, reference);
    await run.result();
    const execution = await run.describe();
    const schedule = await world.client.schedule.getHandle(scheduleId).describe();
    const firstFire = schedule.info.nextActionTimes[0];
    expect(firstFire).toBeDefined();
    expect(schedule.state.note).toMatch(/^Next occurrence \d{4}-/);
    const summary = await execution.staticSummary();
    expect(summary).toContain(runbookUuid);
    expect(summary).toContain(reference);
    const generation = schedule.typedSearchAttributes.get(GENERATION);
    expect(generation).toBeDefined();

    // The schedule's page: id, state, its run, the note the product keeps, its search attributes, its spec.
    const schedulePage = await browser.openAndWaitFor(
      'schedule',
      `/namespaces/${TEST_NAMESPACE}/schedules/${encodeURIComponent(scheduleId)}`,
      [
        scheduleId,
        'RUNNING',
        run.workflowId,
        'Notes',
        schedule.state.note ?? 'the note',
        SOLUTION.name,
        solution,
        REFERENCE.name,
        reference,
        RUNBOOK.name,
        runbookUuid,
        GENERATION.name,
        generation ?? 'the generation',
        'Schedule Specs',
        calendarEntryLabel(firstFire ?? new Date(0)),
      ],
      (page) => page.getByRole('button', { name: /Custom Search Attributes/ }).click(),
    );
    await browser.screenshot(schedulePage.page, 'schedule', { maxHeight: 1500 });

    const runRoute = `/namespaces/${TEST_NAMESPACE}/workflows/${encodeURIComponent(run.workflowId)}/${execution.runId}`;

    // The run's status search attribute, as operators filter by it.
    const attributesPage = await browser.openAndWaitFor(
      'run search attributes',
      `${runRoute}/search-attributes`,
      [
        'COMPLETED',
        run.workflowId,
        ...SUCCEEDED_RUN_ATTRIBUTES.map(([key, value]) => jsonEntry(key, value)),
        jsonEntry(SOLUTION.name, solution),
        jsonEntry(REFERENCE.name, reference),
      ],
    );
    await browser.screenshot(attributesPage.page, 'run-search-attributes');

    // The run's summary line, set by the schedule's action.
    const summaryPage = await browser.openAndWaitFor('run summary', `${runRoute}/user-metadata`, [
      'Summary',
      summary ?? 'the summary',
    ]);
    await browser.screenshot(summaryPage.page, 'run-summary');

    // The run's event history: every event type it recorded, the activities it ran, the summary on its start.
    const history = await run.fetchHistory();
    const eventTypes = [...new Set((history.events ?? []).map((event) => eventTypeLabel(event.eventType)))];
    expect(eventTypes).toEqual(
      expect.arrayContaining([
        'Workflow Execution Started',
        'Activity Task Completed',
        'Workflow Execution Completed',
      ]),
    );
    const historyPage = await browser.openAndWaitFor('run history', `${runRoute}/history`, [
      'Event History',
      ...eventTypes,
      'dispatchHttp',
      summary ?? 'the summary',
    ]);
    await browser.screenshot(historyPage.page, 'run-history', {
      from: historyPage.page.getByRole('heading', { name: 'Event History' }),
    });
  } finally {
    await world.service.deleteSchedule(solution, { schedule_reference: reference });
  }
});
