/**
 * The OpenAPI document is generated from the routes' zod schemas: the committed `schemas/openapi.json` must be
 * its current output, and `GET /v1/openapi.json` serves it to anyone.
 */
import { fakeOperations } from './fake-operations';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { buildHttpApi, openApiDocument } from '../../../src/api/http-api';
import type { NodeApiService } from '../../../src/api/node-routes';
import { BEARER_AUTH } from '../../../src/api/openapi';
import { TOKENS, fakeService } from './fake-service';

const COMMITTED = path.join(__dirname, '..', '..', '..', 'schemas', 'openapi.json');

let document: OpenAPIV3_1.Document;
beforeAll(async () => {
  document = await openApiDocument();
});

/** Every operation of the document, as `METHOD path`. */
function operations(doc: OpenAPIV3_1.Document): Array<[string, OpenAPIV3_1.OperationObject]> {
  return Object.entries(doc.paths ?? {}).flatMap(([route, item]) =>
    Object.entries(item ?? {}).map(
      ([method, op]) =>
        [`${method.toUpperCase()} ${route}`, op as OpenAPIV3_1.OperationObject] as [
          string,
          OpenAPIV3_1.OperationObject,
        ],
    ),
  );
}

test('schemas/openapi.json is current (regenerate: npx tsx scripts/write-schemas.ts)', () => {
  expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(document);
});

test('GET /v1/openapi.json serves the document without a token', async () => {
  const nodes = {} as NodeApiService; // never called: the document is all this test reads
  const app = buildHttpApi(fakeService().service, TOKENS, {
    logger: false,
    nodes,
    operations: fakeOperations().operations,
  });
  const res = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
  await app.close();
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual(document);
});

test('it is OpenAPI 3.1 and documents every route, and no 405 stand-ins', () => {
  expect(document.openapi).toBe('3.1.0');
  expect(operations(document).map(([name]) => name)).toEqual([
    'POST /v1/runbooks',
    'GET /v1/runbooks',
    'POST /v1/schedules',
    'GET /v1/schedules',
    'GET /v1/schedules/{reference}',
    'PUT /v1/schedules/{reference}',
    'DELETE /v1/schedules/{reference}',
    'POST /v1/schedules/{reference}/trigger',
    'GET /v1/schedules/{reference}/runs',
    'GET /v1/openapi.json',
    'GET /v1/workspace/jobs',
    'POST /v1/workspace/schedules',
    'GET /v1/workspace/schedules',
    'GET /v1/workspace/schedules/{key}',
    'PUT /v1/workspace/schedules/{key}',
    'DELETE /v1/workspace/schedules/{key}',
    'POST /v1/workspace/schedules/{key}/activate',
    'POST /v1/workspace/schedules/{key}/inactivate',
    'POST /v1/workspace/schedules/{key}/reset-cadence',
    'POST /v1/workspace/schedules/{key}/run',
    'GET /v1/workspace/schedules/{key}/runs',
    'POST /v1/workspace/services/{uuid}/run',
    'POST /v1/workspace/cadence/occurrences',
    'POST /v1/workspace/integrations/sync',
    'POST /v1/nodes',
    'GET /v1/nodes',
    'GET /v1/nodes/{identifier}',
    'DELETE /v1/nodes/{identifier}',
    'POST /v1/nodes/{identifier}/clear-error',
    'POST /v1/schedule-service',
    'POST /v1/schedule-service/xml',
    'POST /v1/schedules/{reference}/pause',
    'POST /v1/schedules/{reference}/resume',
    'POST /v1/schedules/{reference}/start',
    'POST /v1/schedules/{reference}/stop',
    'POST /v1/schedules/{reference}/retry',
    'GET /v1/schedules/{reference}/status',
    'POST /v1/schedules/{reference}/run-now',
    'GET /v1/schedules/{reference}/instances',
    'GET /v1/schedules/{reference}/future-runs',
    'GET /v1/schedules/{reference}/instances/{instance}/activity',
    'GET /v1/schedules/{reference}/instances/{instance}/request',
    'GET /v1/schedules/{reference}/instances/{instance}/response',
    'POST /v1/schedules/{reference}/instances/{instance}/abort',
    'POST /v1/schedules/{reference}/instances/{instance}/cancel',
    'POST /v1/schedules/{reference}/instances/{instance}/resubmit',
  ]);
});

test('bearer authentication is the default security; only the document itself is public', () => {
  expect(document.components?.securitySchemes?.[BEARER_AUTH]).toMatchObject({
    type: 'http',
    scheme: 'bearer',
  });
  expect(document.security).toEqual([{ [BEARER_AUTH]: [] }]);
  const overridden = operations(document).filter(([, op]) => op.security !== undefined);
  expect(overridden).toEqual([['GET /v1/openapi.json', expect.objectContaining({ security: [] })]]);
});

test('every authenticated operation documents 401, 500 and 503 with their bodies', () => {
  for (const [name, op] of operations(document)) {
    if (name === 'GET /v1/openapi.json') continue;
    const schemaOf = (status: string) =>
      (op.responses?.[status] as OpenAPIV3_1.ResponseObject | undefined)?.content?.['application/json']
        ?.schema;
    expect([name, schemaOf('401')]).toEqual([name, { $ref: '#/components/schemas/Error' }]);
    expect([name, schemaOf('500')]).toEqual([name, { $ref: '#/components/schemas/InternalError' }]);
    // The schedule service answers an outage in its own protocol (errorNumber 110; the XML form always 200).
    if (name.startsWith('POST /v1/schedule-service')) continue;
    expect([name, schemaOf('503')]).toEqual([name, { $ref: '#/components/schemas/Unavailable' }]);
  }
});

test('Create and Update Schedule document their schedule as the recurrence input', () => {
  const bodyOf = (route: string, method: 'post' | 'put') =>
    (document.paths?.[route]?.[method]?.requestBody as OpenAPIV3_1.RequestBodyObject).content[
      'application/json'
    ]?.schema as OpenAPIV3_1.SchemaObject;
  const create = bodyOf('/v1/schedules', 'post');
  expect(create.required).toEqual(['runbook_uuid', 'schedule_reference', 'schedule']);
  expect(create.properties?.schedule).toEqual({ $ref: '#/components/schemas/RecurrenceInput' });
  const update = bodyOf('/v1/schedules/{reference}', 'put');
  expect(update.required).toEqual(['schedule']);
  expect(update.properties?.schedule).toEqual({ $ref: '#/components/schemas/RecurrenceInput' });
});

test('Create Schedule answers 201 with its output, List Runs documents its limit', () => {
  const create = document.paths?.['/v1/schedules']?.post?.responses?.['201'] as OpenAPIV3_1.ResponseObject;
  expect(create.content?.['application/json']?.schema).toEqual({
    $ref: '#/components/schemas/CreateScheduleOutput',
  });
  const parameters = document.paths?.['/v1/schedules/{reference}/runs']?.get
    ?.parameters as OpenAPIV3_1.ParameterObject[];
  expect(parameters.find((p) => p.name === 'limit')).toMatchObject({
    in: 'query',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  });
});

test('every component it refers to is there, and none that nothing refers to', () => {
  const text = JSON.stringify(document);
  const referenced = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
  expect(Object.keys(document.components?.schemas ?? {}).sort()).toEqual([...referenced].sort());
});
