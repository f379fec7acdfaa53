/**
 * `GET /v1/schedules` a page at a time on the real dev server, through the HTTP API (issue 13, point 4): pages
 * served from Temporal's list (memo, search attributes, list info) without a describe per schedule, every
 * schedule of the caller's solution exactly once across the pages with the fields Get Schedule shows, none of
 * another solution's, and a page token that is forged or another solution's refused with a 400 naming it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startHttpApi, type RunningHttpApi } from '../../src/api/http-api';
import { parseTokens } from '../../src/config';
import { TriggerTemplate } from '../../src/catalog/model';
import { Messages } from '../../src/connector/errors';
import { encodePageToken } from '../../src/connector/page-token';
import { TemporalScheduleGateway } from '../../src/temporal/schedule-gateway';
import { apiCall } from '../fixtures/api-call';
import { uniqueId, waitFor } from './harness';
import { startScheduler, type SchedulerFixture } from './scheduler-fixture';

jest.setTimeout(180_000);

let scheduler: SchedulerFixture;
let api: RunningHttpApi;
let base: string;
const solutionA = uniqueId('list-a');
const solutionB = uniqueId('list-b');
const tokenA = randomUUID();
const tokenB = randomUUID();
/** Schedules of solution A: more than two pages of {@link PAGE_SIZE}. */
const COUNT_A = 7;
const PAGE_SIZE = 3;

type Json = Record<string, unknown>;

const call = (token: string, route: string, method = 'GET', body?: unknown) =>
  apiCall(base, token, method, route, body);

async function ok(token: string, route: string, method = 'GET', body?: unknown): Promise<Json> {
  const res = await call(token, route, method, body);
  expect({ route, status: res.status }).toEqual({
    route,
    status: method === 'POST' && route === '/schedules' ? 201 : 200,
  });
  return res.json;
}

/** Every page of the caller's schedules, `size` a page. */
async function allPages(token: string, size: number): Promise<Json[][]> {
  const pages: Json[][] = [];
  let pageToken: string | null = null;
  do {
    const query = `?page_size=${size}${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
    const page = await ok(token, `/schedules${query}`);
    pages.push(page.schedules as Json[]);
    pageToken = page.next_page_token as string | null;
  } while (pageToken);
  return pages;
}

async function createSchedules(token: string, prefix: string, count: number): Promise<string[]> {
  const uuid = randomUUID();
  await ok(token, '/runbooks', 'POST', {
    uuid,
    name: 'listed runbook',
    trigger: { template: TriggerTemplate.DynamicScheduler },
    target: { kind: 'http', url: 'http://127.0.0.1:9/never' },
  });
  const references = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (const [i, reference] of references.entries()) {
    await ok(token, '/schedules', 'POST', {
      runbook_uuid: uuid,
      schedule_reference: reference,
      schedule: { frequency: 'daily', interval: 1 + i, time_zone: 'UTC', time_of_day: '09:00:00' },
      ...(i % 2 === 0 ? { request_body: { tenant: prefix, index: i } } : {}),
    });
  }
  return references;
}

beforeAll(async () => {
  scheduler = await startScheduler();
  api = await startHttpApi(
    scheduler.app.service,
    parseTokens(`${tokenA}=${solutionA},${tokenB}=${solutionB}`),
    0,
  );
  base = `http://127.0.0.1:${api.port}/v1`;
  const [a] = await Promise.all([createSchedules(tokenA, 'a', COUNT_A), createSchedules(tokenB, 'b', 2)]);
  // An update and a pause after create: the listing shows the rule and state of now, not of the create.
  await ok(tokenA, `/schedules/${a?.[1]}`, 'PUT', {
    schedule: {
      frequency: 'weekly',
      interval: 1,
      day: ['monday'],
      time_zone: 'UTC',
      time_of_day: '07:30:00',
    },
  });
  await ok(tokenA, `/schedules/${a?.[2]}/pause`, 'POST');
  // Visibility is eventually consistent: wait until the list shows all of them, updated and paused.
  await waitFor(
    async () => {
      const listed = (await allPages(tokenA, 100)).flat();
      const updated = listed.find((view) => view.schedule_reference === a?.[1]);
      const paused = listed.find((view) => view.schedule_reference === a?.[2]);
      const done =
        listed.length === COUNT_A &&
        (updated?.schedule as Json | undefined)?.frequency === 'weekly' &&
        paused?.paused === true;
      return done || undefined;
    },
    { timeoutMs: 60_000, description: 'the list shows every schedule of A as it is now' },
  );
});

afterAll(async () => {
  await api?.close();
  await scheduler?.close();
});

test('pages of the asked size hold every schedule of the solution once, each as Get Schedule shows it', async () => {
  const pages = await allPages(tokenA, PAGE_SIZE);
  expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
  const listed = pages.flat();
  const references = listed.map((view) => view.schedule_reference as string);
  expect([...references].sort()).toEqual(Array.from({ length: COUNT_A }, (_, i) => `a-${i}`).sort());
  for (const view of listed) {
    const got = await ok(tokenA, `/schedules/${view.schedule_reference as string}`);
    // Temporal's list carries the next 5 fire times where a describe gives 10: the listed ones are the first.
    const { next_action_times: listedTimes, ...listedRest } = view;
    const { next_action_times: gotTimes, ...gotRest } = got;
    expect(listedRest).toEqual(gotRest);
    expect((gotTimes as string[]).slice(0, (listedTimes as string[]).length)).toEqual(listedTimes);
    expect((listedTimes as string[]).length).toBeGreaterThan(0);
  }
});

test('a page is served from the list alone: no schedule is described', async () => {
  const gateway = new TemporalScheduleGateway(scheduler.app.client, scheduler.settings.taskQueue);
  const page = await gateway.listSchedulePage(solutionA, { pageSize: 100 });
  expect({ listed: page.schedules.length, described: page.described }).toEqual({
    listed: COUNT_A,
    described: 0,
  });
});

test("another solution's schedules never appear, and each solution pages through its own", async () => {
  const b = (await allPages(tokenB, 1)).flat().map((view) => view.schedule_reference);
  expect(b.sort()).toEqual(['b-0', 'b-1']);
  const a = (await allPages(tokenA, 2)).flat();
  expect(a.filter((view) => String(view.temporal_schedule_id).includes(solutionB))).toEqual([]);
  expect(a.every((view) => String(view.temporal_schedule_id).includes(solutionA))).toBe(true);
});

test('a page token that is forged or issued to another solution is a 400 naming the page token', async () => {
  const ofB = (await ok(tokenB, '/schedules?page_size=1')).next_page_token as string;
  expect(ofB).toEqual(expect.any(String));
  const forged = [
    ofB,
    'not-a-token',
    encodePageToken(solutionA, randomBytes(24)),
    Buffer.from('{"v":1}', 'utf8').toString('base64url'),
  ];
  for (const token of forged) {
    const res = await call(tokenA, `/schedules?page_token=${encodeURIComponent(token)}`);
    expect({ token, status: res.status, json: res.json }).toEqual({
      token,
      status: 400,
      json: { error: Messages.pageTokenInvalid, details: [Messages.pageTokenInvalid] },
    });
  }
  const badSize = await call(tokenA, '/schedules?page_size=0');
  expect({ status: badSize.status, json: badSize.json }).toEqual({
    status: 400,
    json: {
      error: 'Page size must be greater than or equal to 1',
      details: ['Page size must be greater than or equal to 1'],
    },
  });
});
