/**
 * The encrypting payload codec: payloads leave as AES-256-GCM ciphertext naming their key, come back whole, keys
 * rotate, any change to a ciphertext is detected, and history written in clear still reads.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  decodeFromPayloadsAtIndex,
  encodeToPayloads,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';
import type { CodecKey } from '../../../src/config';
import {
  AesGcmPayloadCodec,
  CodecKeyError,
  CodecMessages,
  ENCRYPTED_ENCODING,
  IV_BYTES,
  KEY_ID_METADATA,
  NO_CODEC_KEY_WARNING,
  PayloadDecryptionError,
  PayloadKeyNotFoundError,
  codecWarningOf,
  isEncryptedPayload,
  payloadCodecsOf,
} from '../../../src/temporal/codec';

const SECRET = 'sk_live_marker_4f1d2c';
const key = (id: string): CodecKey => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) =>
  Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const plainPayload = (): Payload =>
  defaultPayloadConverter.toPayload({
    request_body: { api_key: SECRET },
    headers: { authorization: SECRET },
  });

async function encodeOne(codec: AesGcmPayloadCodec, payload: Payload): Promise<Payload> {
  const [encoded] = await codec.encode([payload]);
  if (!encoded) throw new Error('encode returned no payload');
  return encoded;
}

/** The payload with one byte of its data flipped. */
function flipped(payload: Payload, index: number): Payload {
  const data = Buffer.from(payload.data ?? new Uint8Array());
  data[index] = (data[index] ?? 0) ^ 0x01;
  return { ...payload, data };
}

describe('round trip', () => {
  test('a payload leaves as ciphertext naming its key, with nothing of the plaintext in it', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const encoded = await encodeOne(codec, plainPayload());
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(isEncryptedPayload(encoded)).toBe(true);
    expect(Buffer.from(encoded.data ?? new Uint8Array()).includes(SECRET)).toBe(false);
    // Nor the original metadata (`json/plain` tells what the data is).
    expect(Buffer.from(encoded.data ?? new Uint8Array()).includes('json/plain')).toBe(false);
  });

  test('decoding gives back the payload whole: metadata and data', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const original = plainPayload();
    const [decoded] = await codec.decode([await encodeOne(codec, original)]);
    expect(text(decoded?.metadata?.encoding)).toBe('json/plain');
    expect(Buffer.from(decoded?.data ?? new Uint8Array())).toEqual(
      Buffer.from(original.data ?? new Uint8Array()),
    );
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual({
      request_body: { api_key: SECRET },
      headers: { authorization: SECRET },
    });
  });

  test('each payload gets a fresh IV: the same payload twice gives two different ciphertexts', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [a, b] = await codec.encode([plainPayload(), plainPayload()]);
    const ivOf = (p: Payload | undefined) => Buffer.from(p?.data ?? new Uint8Array()).subarray(0, IV_BYTES);
    expect(ivOf(a)).toHaveLength(IV_BYTES);
    expect(ivOf(a).equals(ivOf(b))).toBe(false);
    expect(Buffer.from(a?.data ?? new Uint8Array()).equals(Buffer.from(b?.data ?? new Uint8Array()))).toBe(
      false,
    );
  });

  test('encoding leaves its input untouched', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const original = plainPayload();
    const before = structuredClone(original);
    await codec.encode([original]);
    expect(original).toEqual(before);
  });

  test('through the SDK data converter, as the client and the schedule gateway encode run inputs', async () => {
    const converter = loadDataConverter({ payloadCodecs: [new AesGcmPayloadCodec([key('k1')])] });
    const input = { requestBody: { api_key: SECRET }, target: { headers: { 'x-api-key': SECRET } } };
    const payloads = await encodeToPayloads(converter, input);
    expect(payloads).toHaveLength(1);
    expect(text(payloads?.[0]?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(payloads?.[0]?.data ?? new Uint8Array()).includes(SECRET)).toBe(false);
    expect(await decodeFromPayloadsAtIndex(converter, 0, payloads)).toEqual(input);
  });
});

describe('rotation', () => {
  test('a new first key encrypts, and the old one still decrypts what it encrypted', async () => {
    const old = key('2024-01');
    const fresh = key('2025-06');
    const before = await encodeOne(new AesGcmPayloadCodec([old]), plainPayload());
    const rotated = new AesGcmPayloadCodec([fresh, old]);
    expect(rotated.keyId).toBe('2025-06');
    const after = await encodeOne(rotated, plainPayload());
    expect(text(after.metadata?.[KEY_ID_METADATA])).toBe('2025-06');
    const decoded = await rotated.decode([before, after]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      defaultPayloadConverter.fromPayload(plainPayload()),
      defaultPayloadConverter.fromPayload(plainPayload()),
    ]);
  });

  test('a key removed too early: its payloads fail with an error naming the key id', async () => {
    const old = key('2024-01');
    const before = await encodeOne(new AesGcmPayloadCodec([old]), plainPayload());
    const error = await new AesGcmPayloadCodec([key('2025-06')]).decode([before]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadKeyNotFoundError);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as PayloadKeyNotFoundError).message).toBe(
      'Payload was encrypted with key "2024-01", which RUNBOOK_SCHEDULER_CODEC_KEYS does not hold',
    );
    expect((error as PayloadKeyNotFoundError).keyId).toBe('2024-01');
  });
});

describe('tamper detection', () => {
  const notAuthentic =
    'Payload encrypted with key "k1" failed authentication: it was altered, or is not ciphertext of that key';

  test.each([
    ['a byte of the IV', () => 0],
    ['a byte of the ciphertext', () => IV_BYTES + 1],
    ['a byte of the tag', (length: number) => length - 1],
  ])('%s changed: refused', async (_what, at) => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const encoded = await encodeOne(codec, plainPayload());
    const error = await codec
      .decode([flipped(encoded, at(encoded.data?.length ?? 0))])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect(error).not.toBeInstanceOf(PayloadKeyNotFoundError);
    expect((error as Error).message).toBe(notAuthentic);
    expect((error as PayloadDecryptionError).keyId).toBe('k1');
  });

  test('data cut short of an IV and a tag: refused', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const encoded = await encodeOne(codec, plainPayload());
    await expect(codec.decode([{ ...encoded, data: encoded.data?.subarray(0, 20) }])).rejects.toThrow(
      notAuthentic,
    );
  });

  test('another key’s ciphertext relabelled with this key id: refused', async () => {
    const codec = new AesGcmPayloadCodec([key('k1'), key('k2')]);
    const byK1 = await encodeOne(codec, plainPayload());
    const relabelled: Payload = {
      ...byK1,
      metadata: { ...byK1.metadata, [KEY_ID_METADATA]: Buffer.from('k2') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(
      'Payload encrypted with key "k2" failed authentication: it was altered, or is not ciphertext of that key',
    );
  });

  test('the same key bytes under another id: refused, the key id is authenticated too', async () => {
    const bytes = randomBytes(32);
    const codec = new AesGcmPayloadCodec([
      { id: 'k1', key: bytes },
      { id: 'k2', key: bytes },
    ]);
    const byK1 = await encodeOne(codec, plainPayload());
    const relabelled: Payload = {
      ...byK1,
      metadata: { ...byK1.metadata, [KEY_ID_METADATA]: Buffer.from('k2') },
    };
    await expect(codec.decode([relabelled])).rejects.toBeInstanceOf(PayloadDecryptionError);
  });

  test('an encrypted payload that names no key: refused', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const encoded = await encodeOne(codec, plainPayload());
    const error = await codec
      .decode([{ ...encoded, metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) } }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as Error).message).toBe(
      'Encrypted payload names no key (its encryption-key-id metadata is missing)',
    );
  });
});

describe('history written in clear', () => {
  test('plaintext payloads are passed through on decode, unchanged', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const plain = plainPayload();
    const empty = defaultPayloadConverter.toPayload(undefined);
    const decoded = await codec.decode([plain, empty]);
    expect(decoded[0]).toBe(plain);
    expect(decoded[1]).toBe(empty);
  });

  test('a batch mixing clear and encrypted payloads decodes each', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const encrypted = await encodeOne(codec, plainPayload());
    const decoded = await codec.decode([plainPayload(), encrypted]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      defaultPayloadConverter.fromPayload(plainPayload()),
      defaultPayloadConverter.fromPayload(plainPayload()),
    ]);
  });
});

describe('keys', () => {
  test.each<[string, CodecKey[], string]>([
    ['none', [], CodecMessages.noKeys],
    ['a short key', [{ id: 'short', key: randomBytes(16) }], 'Codec key "short" must be 32 bytes, got 16'],
    ['an id twice', [key('twice'), key('twice')], 'Codec key "twice" is given twice'],
  ])('%s: the codec is not built', (_what, keys, message) => {
    expect(() => new AesGcmPayloadCodec(keys)).toThrow(CodecKeyError);
    expect(() => new AesGcmPayloadCodec(keys)).toThrow(message);
  });

  test('the codec keeps its own copy of the key bytes', async () => {
    const k1 = key('k1');
    const codec = new AesGcmPayloadCodec([k1]);
    const encoded = await encodeOne(codec, plainPayload());
    k1.key.fill(0);
    await expect(codec.decode([encoded])).resolves.toHaveLength(1);
  });
});

describe('settings', () => {
  test('without a key: no codec (payloads in clear) and the warning npm start prints', () => {
    expect(payloadCodecsOf({ codecKeys: [] })).toEqual([]);
    expect(codecWarningOf({ codecKeys: [] })).toBe(NO_CODEC_KEY_WARNING);
    expect(NO_CODEC_KEY_WARNING).toBe(
      'Warning: RUNBOOK_SCHEDULER_CODEC_KEYS is not set: request bodies and runbook header values are stored in clear in Temporal',
    );
  });

  test('with keys: one encrypting codec under the first key, and no warning', () => {
    const codecs = payloadCodecsOf({ codecKeys: [key('new'), key('old')] });
    expect(codecs).toHaveLength(1);
    expect(codecs[0]).toBeInstanceOf(AesGcmPayloadCodec);
    expect((codecs[0] as AesGcmPayloadCodec).keyId).toBe('new');
    expect(codecWarningOf({ codecKeys: [key('new')] })).toBeUndefined();
  });
});
