/**
 * The encrypting payload codec: every payload the client and the worker send to Temporal (schedule actions, run
 * and activity inputs and results, memos) is AES-256-GCM ciphertext, so request bodies and a runbook's header
 * values never sit in clear in Temporal's history or database. Search attributes are not payloads and are never
 * encoded: they must hold no secret.
 *
 * Each ciphertext names the key that made it (`encryption-key-id` in its metadata), so keys can rotate: the first
 * key of `RUNBOOK_SCHEDULER_CODEC_KEYS` encrypts, every one decrypts. A payload that is not encrypted (history
 * written before a key was set) is passed through on decode.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKey, Settings } from '../config';

/** The `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the codec key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** The cipher: AES-256 in Galois/Counter Mode, which authenticates as it encrypts. */
export const CIPHER = 'aes-256-gcm';
/** Bytes of the fresh random IV that starts each ciphertext. */
export const IV_BYTES = 12;
/** Bytes of the authentication tag that ends each ciphertext. */
export const TAG_BYTES = 16;
/** Bytes of a key. */
export const KEY_BYTES = 32;

/** The line `npm start` prints when no codec key is configured. */
export const NO_CODEC_KEY_WARNING =
  'Warning: RUNBOOK_SCHEDULER_CODEC_KEYS is not set: request bodies and runbook header values are stored in clear in Temporal';

/** Exact messages of the codec's errors. */
export const CodecMessages = {
  noKeys: 'The payload codec needs at least one key',
  badKeyLength: (keyId: string, length: number) =>
    `Codec key "${keyId}" must be ${KEY_BYTES} bytes, got ${length}`,
  duplicateKey: (keyId: string) => `Codec key "${keyId}" is given twice`,
  missingKeyId: `Encrypted payload names no key (its ${KEY_ID_METADATA} metadata is missing)`,
  unknownKey: (keyId: string) =>
    `Payload was encrypted with key "${keyId}", which RUNBOOK_SCHEDULER_CODEC_KEYS does not hold`,
  notAuthentic: (keyId: string) =>
    `Payload encrypted with key "${keyId}" failed authentication: it was altered, or is not ciphertext of that key`,
} as const;

/** The codec cannot be built from the keys it was given. */
export class CodecKeyError extends Error {
  override readonly name = 'CodecKeyError';
  constructor(
    message: string,
    /** The key concerned, when one is. */
    readonly keyId?: string,
  ) {
    super(message);
  }
}

/** An encrypted payload cannot be decrypted; the message names the key id (never the key or the data). */
export class PayloadDecryptionError extends Error {
  override readonly name: string = 'PayloadDecryptionError';
  constructor(
    message: string,
    /** The key id the payload names; undefined when it names none. */
    readonly keyId: string | undefined,
  ) {
    super(message);
  }
}

/** A payload encrypted with a key id this codec does not hold (removed too early in a rotation). */
export class PayloadKeyNotFoundError extends PayloadDecryptionError {
  override readonly name = 'PayloadKeyNotFoundError';
  constructor(keyId: string) {
    super(CodecMessages.unknownKey(keyId), keyId);
  }
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const textOf = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes === null || bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

/** True when the payload is one this codec's encode made (whatever key made it). */
export function isEncryptedPayload(payload: Payload): boolean {
  return textOf(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

/**
 * {@link PayloadCodec} encrypting each payload whole (metadata and data) with AES-256-GCM under the first key, a
 * fresh 12-byte IV per payload; the key id is the additional authenticated data, so a ciphertext relabelled with
 * another id fails authentication too.
 *
 * The encrypted payload's data is `IV (12 bytes) || ciphertext || tag (16 bytes)`.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly encryptingKeyId: string;

  /**
   * @param keys The first encrypts, every one decrypts.
   * @throws {@link CodecKeyError} when there is no key, a key is not 32 bytes, or an id is given twice.
   */
  constructor(keys: readonly CodecKey[]) {
    const first = keys[0];
    if (first === undefined) throw new CodecKeyError(CodecMessages.noKeys);
    const byId = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new CodecKeyError(CodecMessages.badKeyLength(id, key.length), id);
      if (byId.has(id)) throw new CodecKeyError(CodecMessages.duplicateKey(id), id);
      // A copy: the settings' buffer can be zeroed or reused by its owner without changing this codec.
      byId.set(id, Buffer.from(key));
    }
    this.keys = byId;
    this.encryptingKeyId = first.id;
  }

  /** The id of the key that encrypts. */
  get keyId(): string {
    return this.encryptingKeyId;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.encrypt(payload)));
  }

  /**
   * Decrypts the encrypted payloads and passes the others through unchanged.
   * @throws {@link PayloadKeyNotFoundError} for a key id this codec does not hold.
   * @throws {@link PayloadDecryptionError} for a payload that names no key or fails authentication.
   */
  decode(payloads: Payload[]): Promise<Payload[]> {
    try {
      return Promise.resolve(payloads.map((payload) => this.decrypt(payload)));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.encryptingKeyId;
    const key = this.keys.get(keyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(utf8(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    if (!isEncryptedPayload(payload)) return payload;
    const keyId = textOf(payload.metadata?.[KEY_ID_METADATA]);
    if (keyId === undefined) throw new PayloadDecryptionError(CodecMessages.missingKeyId, undefined);
    const key = this.keys.get(keyId);
    if (key === undefined) throw new PayloadKeyNotFoundError(keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(CodecMessages.notAuthentic(keyId), keyId);
    }
    const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(utf8(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (err) {
      // GCM's only failure here is a tag that does not match: altered data, or another key's ciphertext.
      throw Object.assign(new PayloadDecryptionError(CodecMessages.notAuthentic(keyId), keyId), {
        cause: err,
      });
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/**
 * The payload codecs of the settings: the encrypting codec when `RUNBOOK_SCHEDULER_CODEC_KEYS` holds a key, none
 * (payloads in clear, today's behaviour) otherwise. The client and the worker both take their codecs from here.
 */
export function payloadCodecsOf(settings: Pick<Settings, 'codecKeys'>): PayloadCodec[] {
  return settings.codecKeys.length === 0 ? [] : [new AesGcmPayloadCodec(settings.codecKeys)];
}

/** The warning `npm start` prints at start: {@link NO_CODEC_KEY_WARNING} without a key, else none. */
export function codecWarningOf(settings: Pick<Settings, 'codecKeys'>): string | undefined {
  return settings.codecKeys.length === 0 ? NO_CODEC_KEY_WARNING : undefined;
}
