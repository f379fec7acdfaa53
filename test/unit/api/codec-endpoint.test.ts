/**
 * The codec endpoint through `inject()`: Temporal's codec-server protocol over the product's codec, for operators
 * only (its own bearer token, never a tenant's), with CORS for the Web UI, and served only where the settings
 * say so.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { InjectOptions } from 'fastify';
import {
  CODEC_MAX_BODY_BYTES,
  CodecEndpointMessages,
  codecEndpointOptionsOf,
  isLoopbackPeer,
  payloadFromJson,
  payloadToJson,
  type CodecEndpointOptions,
} from '../../../src/api/codec-endpoint';
import { ApiMessages, MAX_BODY_BYTES } from '../../../src/api/errors';
import { buildHttpApi } from '../../../src/api/http-api';
import type { CodecKey } from '../../../src/config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../../src/temporal/codec';
import { AUTH, TOKENS, fakeService } from './fake-service';

const SECRET = 'sk_live_codec_endpoint_marker';
const CODEC_TOKEN = 'codec-operator-token-7f3a';
const CODEC_AUTH = { authorization: `Bearer ${CODEC_TOKEN}` };
const UI_ORIGIN = 'http://localhost:8233';
const KEY: CodecKey = { id: 'k1', key: randomBytes(32) };
const codec = new AesGcmPayloadCodec([KEY]);
const withToken: CodecEndpointOptions = {
  codec,
  token: CODEC_TOKEN,
  allowedOrigins: [UI_ORIGIN, 'http://127.0.0.1:8233'],
};

async function call(options: InjectOptions, codecOptions: CodecEndpointOptions | null = withToken) {
  const app = buildHttpApi(fakeService().service, TOKENS, {
    logger: false,
    ...(codecOptions ? { codec: codecOptions } : {}),
  });
  try {
    const res = await app.inject(options);
    return {
      status: res.statusCode,
      json: res.body === '' ? undefined : (JSON.parse(res.body) as unknown),
      headers: res.headers,
    };
  } finally {
    await app.close();
  }
}

const plain = (): Payload => defaultPayloadConverter.toPayload({ request_body: { api_key: SECRET } });
const encrypted = async (): Promise<Payload> => (await codec.encode([plain()]))[0] as Payload;
const decodeRequest = (payloads: Payload[], headers: Record<string, string> = CODEC_AUTH): InjectOptions => ({
  method: 'POST',
  url: '/v1/codec/decode',
  headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
  payload: { payloads: payloads.map(payloadToJson) },
});
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('the codec-server protocol', () => {
  test('POST /decode answers the payloads decrypted, in proto3 JSON', async () => {
    const res = await call(decodeRequest([await encrypted()]));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      payloads: [
        {
          metadata: { encoding: b64('json/plain') },
          data: b64(JSON.stringify({ request_body: { api_key: SECRET } })),
        },
      ],
    });
  });

  test('POST /encode answers ciphertext naming the key, which decodes back', async () => {
    const res = await call({
      method: 'POST',
      url: '/v1/codec/encode',
      headers: CODEC_AUTH,
      payload: { payloads: [payloadToJson(plain())] },
    });
    expect(res.status).toBe(200);
    const [answered] = (res.json as { payloads: Parameters<typeof payloadFromJson>[0][] }).payloads;
    expect(answered?.metadata).toEqual({ encoding: b64(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: b64('k1') });
    expect(Buffer.from(answered?.data ?? '', 'base64').includes(SECRET)).toBe(false);
    const [decoded] = await codec.decode([payloadFromJson(answered ?? {})]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual({
      request_body: { api_key: SECRET },
    });
  });

  test('payloads in clear (history from before a key was set) come back unchanged; an empty list is fine', async () => {
    const res = await call(decodeRequest([plain()]));
    expect(res.json).toEqual({ payloads: [payloadToJson(plain())] });
    expect((await call(decodeRequest([]))).json).toEqual({ payloads: [] });
  });

  test('a payload that does not decrypt is a 400 naming the key id', async () => {
    const foreign = (
      await new AesGcmPayloadCodec([{ id: 'gone', key: randomBytes(32) }]).encode([plain()])
    )[0];
    const unknown = await call(decodeRequest([foreign as Payload]));
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      error: 'Payload was encrypted with key "gone", which RUNBOOK_SCHEDULER_CODEC_KEYS does not hold',
      details: [],
    });
    const good = await encrypted();
    const data = Buffer.from(good.data ?? new Uint8Array());
    data[20] = (data[20] ?? 0) ^ 1;
    const altered = await call(decodeRequest([{ ...good, data }]));
    expect(altered.status).toBe(400);
    expect(altered.json).toEqual({
      error:
        'Payload encrypted with key "k1" failed authentication: it was altered, or is not ciphertext of that key',
      details: [],
    });
  });

  test.each<[string, string | object, string, string[]]>([
    ['not JSON', '{"payloads": [', ApiMessages.invalidJson, []],
    [
      'no payloads',
      {},
      CodecEndpointMessages.invalidBody,
      ['payloads: Invalid input: expected array, received undefined'],
    ],
    [
      'data not base64',
      { payloads: [{ data: 'not base64!' }] },
      CodecEndpointMessages.invalidBody,
      ['payloads.0.data: must be base64'],
    ],
    [
      'a metadata value not base64',
      { payloads: [{ metadata: { encoding: 'json plain' }, data: '' }] },
      CodecEndpointMessages.invalidBody,
      ['payloads.0.metadata.encoding: must be base64'],
    ],
  ])('a body that is %s is a 400', async (_what, payload, error, details) => {
    const res = await call({
      method: 'POST',
      url: '/v1/codec/decode',
      headers: { ...CODEC_AUTH, 'content-type': 'application/json' },
      payload,
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, details });
  });

  test('a body above the API’s 256 KiB is read; one above 4 MiB is a 413 with the codec’s limit', async () => {
    const big = defaultPayloadConverter.toPayload('x'.repeat(MAX_BODY_BYTES * 2));
    const read = await call(decodeRequest([big]));
    expect(read.status).toBe(200);
    const tooBig = defaultPayloadConverter.toPayload('x'.repeat(CODEC_MAX_BODY_BYTES));
    const refused = await call(decodeRequest([tooBig]));
    expect(refused.status).toBe(413);
    expect(refused.json).toEqual({ error: 'Codec request body must be at most 4194304 bytes', details: [] });
  });

  test('another method is a 405 naming POST and OPTIONS', async () => {
    const res = await call({ method: 'GET', url: '/v1/codec/decode', headers: CODEC_AUTH });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('OPTIONS, POST');
  });
});

describe('operators only', () => {
  test.each<[string, Record<string, string>]>([
    ['no Authorization', {}],
    ['a tenant’s API token', AUTH],
    ['a wrong token', { authorization: 'Bearer codec-operator-token-7f3' }],
    ['the token, but not as a bearer', { authorization: CODEC_TOKEN }],
  ])('%s: 401, nothing decoded', async (_what, headers) => {
    const res = await call(decodeRequest([await encrypted()], headers));
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: 'Missing or wrong codec token: send Authorization: Bearer <RUNBOOK_SCHEDULER_CODEC_TOKEN>',
      details: [],
    });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  test('the codec token opens none of the tenant routes', async () => {
    const res = await call({ method: 'GET', url: '/v1/runbooks', headers: CODEC_AUTH });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: ApiMessages.unauthenticated, details: [] });
  });

  test('not served unless asked for: the paths are unknown routes behind the tenant authentication', async () => {
    const unauthenticated = await call(decodeRequest([await encrypted()]), null);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.json).toEqual({ error: ApiMessages.unauthenticated, details: [] });
    const tenant = await call(decodeRequest([await encrypted()], AUTH), null);
    expect(tenant.status).toBe(404);
    expect(tenant.json).toEqual({ error: 'No route for POST /v1/codec/decode', details: [] });
  });

  describe('without a codec token (the local demo setup)', () => {
    const tokenless: CodecEndpointOptions = { codec, allowedOrigins: [UI_ORIGIN] };

    test('a loopback caller is answered without Authorization', async () => {
      for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
        const res = await call({ ...decodeRequest([await encrypted()], {}), remoteAddress }, tokenless);
        expect(res.status).toBe(200);
      }
    });

    test('any other caller is refused, whatever token it sends', async () => {
      for (const headers of [{}, AUTH, CODEC_AUTH]) {
        const res = await call(
          { ...decodeRequest([await encrypted()], headers), remoteAddress: '10.0.0.7' },
          tokenless,
        );
        expect(res.status).toBe(403);
        expect(res.json).toEqual({
          error: 'Without RUNBOOK_SCHEDULER_CODEC_TOKEN the codec endpoint answers loopback callers only',
          details: [],
        });
      }
    });
  });
});

describe('CORS for the Temporal Web UI', () => {
  const preflight = (origin: string, extra: Record<string, string> = {}): InjectOptions => ({
    method: 'OPTIONS',
    url: '/v1/codec/decode',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-namespace',
      ...extra,
    },
  });

  test('the preflight of the UI’s origin is allowed, without a token, for Authorization, Content-Type, X-Namespace', async () => {
    const res = await call(preflight(UI_ORIGIN));
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': UI_ORIGIN,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, X-Namespace',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
    expect(res.headers['access-control-allow-private-network']).toBeUndefined();
  });

  test('a Private Network Access preflight is allowed too', async () => {
    const res = await call(preflight(UI_ORIGIN, { 'access-control-request-private-network': 'true' }));
    expect(res.headers['access-control-allow-private-network']).toBe('true');
  });

  test('the UI’s calls carry the CORS headers, also when refused, so the UI can read why', async () => {
    const ok = await call(
      decodeRequest([await encrypted()], { ...CODEC_AUTH, origin: 'http://127.0.0.1:8233' }),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    const refused = await call(decodeRequest([await encrypted()], { origin: UI_ORIGIN }));
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  });

  test('another origin is refused, preflight and call, with no CORS grant', async () => {
    for (const options of [
      preflight('https://evil.example'),
      decodeRequest([await encrypted()], { ...CODEC_AUTH, origin: 'https://evil.example' }),
    ]) {
      const res = await call(options);
      expect(res.status).toBe(403);
      expect(res.json).toEqual({
        error: 'Origin https://evil.example may not call the codec endpoint',
        details: [],
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('whether npm start serves it', () => {
  const keys = [KEY];
  const base = { httpHost: '127.0.0.1', temporalUiPort: 8233, apiTokens: undefined, codecToken: undefined };

  test.each<[string, Parameters<typeof codecEndpointOptionsOf>[0], 'token' | 'tokenless' | 'not served']>([
    ['no codec key: nothing to decode', { ...base, codecKeys: [], codecToken: CODEC_TOKEN }, 'not served'],
    [
      'a key and a codec token',
      { ...base, codecKeys: keys, codecToken: CODEC_TOKEN, httpHost: '0.0.0.0', apiTokens: TOKENS },
      'token',
    ],
    ['a key, no codec token, the demo setup on loopback', { ...base, codecKeys: keys }, 'tokenless'],
    [
      'a key, no codec token, the demo setup on ::1',
      { ...base, codecKeys: keys, httpHost: '::1' },
      'tokenless',
    ],
    [
      'a key, no codec token, API tokens configured',
      { ...base, codecKeys: keys, apiTokens: TOKENS },
      'not served',
    ],
    [
      'a key, no codec token, the API beyond loopback',
      { ...base, codecKeys: keys, httpHost: '0.0.0.0' },
      'not served',
    ],
  ])('%s: %s', (_what, settings, expected) => {
    const options = codecEndpointOptionsOf(settings);
    const mode = options === undefined ? 'not served' : options.token === undefined ? 'tokenless' : 'token';
    expect(mode).toBe(expected);
    if (options?.token !== undefined) expect(options.token).toBe(CODEC_TOKEN);
  });

  test('the Web UI origins are the embedded dev server’s, on its configured port', () => {
    expect(
      codecEndpointOptionsOf({ ...base, codecKeys: keys, temporalUiPort: 18233 })?.allowedOrigins,
    ).toEqual(['http://localhost:18233', 'http://127.0.0.1:18233']);
  });

  test.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.7', false],
    ['::ffff:10.0.0.7', false],
    ['fe80::1', false],
    [undefined, false],
  ])('peer %s is loopback: %s', (address, loopback) => {
    expect(isLoopbackPeer(address)).toBe(loopback);
  });
});
