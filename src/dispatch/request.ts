/**
 * The dispatched HTTP request and the runbook's answer as the platform sends and records them (FEATURES.md A3,
 * B7): the headers a POST carries, the answer kept in the run's history (bounded), and the request as operators
 * view it, the target's own header values (a runbook's credentials) redacted. Pure and free of Node built-ins.
 */
import type { DispatchPayload } from './payload';

/** What is redacted in a viewed request: the target's own header values are write-only. */
export const REDACTED_HEADER_VALUE = '[redacted]';

/** Most characters of an answer's body kept in the run's history; the rest is dropped (`truncated`). */
export const MAX_RECORDED_ANSWER_CHARS = 16 * 1024;

/** One HTTP dispatch, as the run gives it to the `dispatchHttp` activity. */
export interface HttpDispatchRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload: DispatchPayload;
  readonly idempotencyKey: string;
  readonly jobContextIdentifier: string | null;
}

/** The runbook's answer to one attempt, as recorded in the run's history. */
export interface RunbookAnswer {
  readonly status: number;
  readonly status_text: string;
  readonly content_type: string | null;
  /** The body's text, at most {@link MAX_RECORDED_ANSWER_CHARS} characters. */
  readonly body: string;
  /** True when the body was longer than what was read or kept. */
  readonly truncated: boolean;
}

/**
 * The POST's headers: the target's own, then the platform's, which win whatever the case the target spelled a
 * name in (a plain object would send `Idempotency-Key` and `idempotency-key` joined into one value).
 */
export function requestHeaders(input: HttpDispatchRequest): Headers {
  const headers = new Headers(input.headers);
  headers.set('content-type', 'application/json');
  headers.set('idempotency-key', input.idempotencyKey);
  headers.set('user-agent', 'runbook-scheduler');
  if (input.jobContextIdentifier !== null) {
    headers.set('x-job-context-identifier', encodeURIComponent(input.jobContextIdentifier));
  } else {
    headers.delete('x-job-context-identifier');
  }
  return headers;
}

/** The dispatched request as operators view it. */
export interface RequestView {
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: DispatchPayload;
}

/**
 * The request as sent, every header value the target configured replaced by {@link REDACTED_HEADER_VALUE}, and
 * credentials in the URL (`user:password@`) too; the platform's own headers are shown.
 */
export function requestView(input: HttpDispatchRequest): RequestView {
  const redacted = Object.fromEntries(
    Object.keys(input.headers).map((name) => [name, REDACTED_HEADER_VALUE]),
  );
  const headers = Object.fromEntries(requestHeaders({ ...input, headers: redacted }));
  return { method: 'POST', url: withoutCredentials(input.url), headers, body: input.payload };
}

/** The URL with its user and password, if any, replaced by `redacted`. */
function withoutCredentials(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return url;
  if (parsed.username !== '') parsed.username = 'redacted';
  if (parsed.password !== '') parsed.password = 'redacted';
  return parsed.href;
}

/** The answer as recorded: its body's text cut to {@link MAX_RECORDED_ANSWER_CHARS}. */
export function recordedAnswer(
  status: number,
  statusText: string,
  contentType: string | null,
  text: string,
  cutOff: boolean,
): RunbookAnswer {
  return {
    status,
    status_text: statusText,
    content_type: contentType,
    body: text.slice(0, MAX_RECORDED_ANSWER_CHARS),
    truncated: cutOff || text.length > MAX_RECORDED_ANSWER_CHARS,
  };
}
