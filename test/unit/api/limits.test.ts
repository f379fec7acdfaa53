/**
 * Bounded input over HTTP (issue 9, item 6): a body nested 10,000 levels deep, or as deep as the body limit
 * allows, is answered with a message naming the field, never a 500 "Maximum call stack size exceeded", on every
 * route that reads a body; and the tenant-facing limits on names and zones hold end to end.
 */
import type { InjectOptions } from 'fastify';
import { buildHttpApi } from '../../../src/api/http-api';
import { MAX_BODY_BYTES } from '../../../src/api/errors';
import { TriggerTemplate } from '../../../src/catalog/model';
import { SchedulerService } from '../../../src/connector/scheduler-service';
import { MemoryCatalog } from '../../fixtures/memory-catalog';
import { MemoryGateway } from '../../fixtures/memory-gateway';
import { AUTH, RUNBOOK, TOKENS, fakeService } from './fake-service';

/** JSON text of an object nested `levels` deep (`{}` is one level). */
const deepObject = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
/** JSON text of arrays nested as deep as fits in the body limit with the text around it. */
const deepestArray = (room: number) => {
  const levels = Math.floor((MAX_BODY_BYTES - room) / 2);
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
};
const daily = '{"frequency":"daily","interval":1,"time_zone":"UTC","time_of_day":"09:00"}';

type Route = Pick<InjectOptions, 'method' | 'url'>;
const BODY_ROUTES: Route[] = [
  { method: 'POST', url: '/v1/runbooks' },
  { method: 'POST', url: '/v1/schedules' },
  { method: 'PUT', url: '/v1/schedules/r' },
  { method: 'POST', url: '/v1/schedules/r/pause' },
  { method: 'POST', url: '/v1/schedules/r/resume' },
  { method: 'POST', url: '/v1/schedules/r/trigger' },
];

describe('over a fake service: the body parser and the routes never exhaust the stack', () => {
  test.each(BODY_ROUTES)(
    '$method $url reads a body 10,000 deep and one as deep as 256 KiB allows',
    async (route) => {
      const app = buildHttpApi(fakeService().service, TOKENS, { logger: false });
      try {
        for (const payload of [
          `{"schedule":${deepObject(10_000)},"request_body":${deepObject(10_000)}}`,
          `{"request_body":{"a":${deepestArray(40)}}}`,
          // A key the parser must drop forces its walk over the whole document.
          `{"__proto__":{},"request_body":{"a":${deepestArray(60)}}}`,
        ]) {
          const res = await app.inject({ ...route, headers: AUTH, payload });
          expect(res.statusCode).toBeLessThan(300);
        }
      } finally {
        await app.close();
      }
    },
  );
});

describe('over the real service and the in-memory gateway and catalog', () => {
  const DYNAMIC = { ...RUNBOOK, uuid: '0f0e0d0c-0b0a-4908-8706-050403020100' };
  const setup = async () => {
    const catalog = new MemoryCatalog();
    const gateway = new MemoryGateway();
    const service = new SchedulerService({ catalog, gateway, now: () => new Date('2025-01-04T08:00:00Z') });
    await service.registerRunbook(DYNAMIC);
    const app = buildHttpApi(service, TOKENS, { logger: false });
    const send = async (method: 'POST' | 'PUT', url: string, payload: string) => {
      const res = await app.inject({ method, url, headers: AUTH, payload });
      return { status: res.statusCode, body: res.json<unknown>() };
    };
    return { app, catalog, gateway, send };
  };
  const DEEP = 'Request body must be nested at most 32 levels deep';

  test('Create Schedule with a request body 10,000 deep: 422 naming request_body, nothing created', async () => {
    const { app, gateway, send } = await setup();
    try {
      const create = (requestBody: string) =>
        send(
          'POST',
          '/v1/schedules',
          `{"runbook_uuid":"${DYNAMIC.uuid}","schedule_reference":"r","schedule":${daily},"request_body":${requestBody}}`,
        );
      for (const body of [deepObject(10_000), deepObject(33), `{"a":${deepestArray(200)}}`]) {
        expect(await create(body)).toEqual({
          status: 422,
          body: { error: `Failed to create schedule: ${JSON.stringify([DEEP])}`, details: [DEEP] },
        });
      }
      expect(gateway.schedules.size).toBe(0);
      expect((await create(deepObject(32))).status).toBe(201);
    } finally {
      await app.close();
    }
  });

  test('registering a Scheduler runbook with a request body 10,000 deep: 422 naming request_body', async () => {
    const { app, catalog, gateway, send } = await setup();
    try {
      const runbook = (requestBody: string) =>
        `{"uuid":"7c0d8739-5fbd-4a6f-a1b4-2991bb0e2b55","name":"n","target":{"kind":"http","url":"https://example.com/"},` +
        `"trigger":{"template":"${TriggerTemplate.Scheduler}","schedule":${daily},"request_body":${requestBody}}}`;
      expect(await send('POST', '/v1/runbooks', runbook(deepObject(10_000)))).toEqual({
        status: 422,
        body: { error: `Failed to register schedule: ${DEEP}`, details: [DEEP] },
      });
      expect([catalog.size, gateway.schedules.size]).toEqual([1, 0]);
    } finally {
      await app.close();
    }
  });

  test('a recurrence or reference nested 10,000 deep is refused by its own field, as any other bad value', async () => {
    const { app, send } = await setup();
    try {
      expect(
        await send(
          'POST',
          '/v1/schedules',
          `{"runbook_uuid":"${DYNAMIC.uuid}","schedule_reference":${deepObject(10_000)},"schedule":${deepObject(10_000)}}`,
        ),
      ).toEqual({
        status: 422,
        body: {
          error: 'Failed to create schedule: ["Schedule reference must be a string"]',
          details: ['Schedule reference must be a string'],
        },
      });
      const update = await send('PUT', '/v1/schedules/r', `{"schedule":{"frequency":${deepestArray(100)}}}`);
      expect(update.status).toBe(404);
    } finally {
      await app.close();
    }
  });

  test('a 250 KB time-zone name is refused naming time_zone, without quoting it', async () => {
    const { app, send } = await setup();
    try {
      const zone = 'x'.repeat(250 * 1024);
      const res = await send(
        'POST',
        '/v1/schedules',
        `{"runbook_uuid":"${DYNAMIC.uuid}","schedule_reference":"r","schedule":{"frequency":"daily","interval":1,"time_zone":"${zone}","time_of_day":"09:00"}}`,
      );
      expect(res).toEqual({
        status: 422,
        body: {
          error: 'Failed to create schedule: ["Time zone must be at most 64 characters"]',
          details: ['Time zone must be at most 64 characters'],
        },
      });
    } finally {
      await app.close();
    }
  });

  test('a runbook uuid over 200 characters is refused by name, before any catalog lookup', async () => {
    const { app, send } = await setup();
    try {
      const res = await send(
        'POST',
        '/v1/schedules',
        `{"runbook_uuid":"${'u'.repeat(201)}","schedule_reference":"r","schedule":${daily}}`,
      );
      expect(res).toEqual({
        status: 422,
        body: {
          error: 'Failed to create schedule: ["Runbook uuid must be at most 200 characters"]',
          details: ['Runbook uuid must be at most 200 characters'],
        },
      });
    } finally {
      await app.close();
    }
  });
});

describe('a Content-Type that is not a media type', () => {
  test.each(['', 'garbage', 'application/json;;'])(
    '%j is read as JSON like any other, never answered with a bare 415',
    async (contentType) => {
      const fake = fakeService();
      const app = buildHttpApi(fake.service, TOKENS, { logger: false });
      try {
        const headers = { ...AUTH, 'content-type': contentType };
        const del = await app.inject({ method: 'DELETE', url: '/v1/schedules/r', headers });
        expect(del.statusCode).toBe(200);
        const create = await app.inject({
          method: 'POST',
          url: '/v1/schedules',
          headers,
          payload: '{"schedule_reference":"r"}',
        });
        expect(create.statusCode).toBe(201);
        expect(fake.calls.find((c) => c.method === 'createSchedule')?.args[1]).toEqual({
          schedule_reference: 'r',
        });
        const bad = await app.inject({ method: 'POST', url: '/v1/schedules', headers, payload: '{' });
        expect([bad.statusCode, bad.json()]).toEqual([
          400,
          { error: 'Request body is not valid JSON', details: [] },
        ]);
      } finally {
        await app.close();
      }
    },
  );
});
