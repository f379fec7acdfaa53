/**
 * The HTTP API: JSON over HTTP, a thin layer over {@link SchedulerService}. Each caller authenticates with a
 * bearer token; the token decides the solution, so no caller can name another solution's schedules.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionErrorCode, ScheduleActionError } from '../connector/errors';
import type { SchedulerService } from '../connector/scheduler-service';

/** Bearer token -> solution. */
export type TokenMap = ReadonlyMap<string, string>;

/**
 * Parses `RUNBOOK_SCHEDULER_API_TOKENS`: comma-separated `token=solution` pairs.
 * @throws Error naming the malformed entry.
 */
export function parseTokens(text: string | undefined): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    if (at <= 0 || at === entry.length - 1) {
      throw new Error(`RUNBOOK_SCHEDULER_API_TOKENS entry "${entry}" must be token=solution`);
    }
    tokens.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return tokens;
}

const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

const STATUS_OF: Record<ActionErrorCode, number> = {
  [ActionErrorCode.Invalid]: 422,
  [ActionErrorCode.NotFound]: 404,
  [ActionErrorCode.Conflict]: 409,
  [ActionErrorCode.Unsupported]: 422,
};

type Route = (
  service: SchedulerService,
  solution: string,
  body: unknown,
  ref: string | undefined,
  url: URL,
) => Promise<unknown>;

/** Routes: method + path pattern -> handler. `:ref` is a URL-encoded schedule reference. */
const ROUTES: ReadonlyArray<[string, RegExp, Route]> = [
  ['POST', /^\/v1\/schedules$/, (s, sol, body) => s.createSchedule(sol, body)],
  ['GET', /^\/v1\/schedules$/, async (s, sol) => ({ schedules: await s.listSchedules(sol) })],
  [
    'GET',
    /^\/v1\/schedules\/([^/]+)$/,
    async (s, sol, _b, ref) => {
      const view = await s.getSchedule(sol, { schedule_reference: ref });
      if (!view) throw new HttpError(404, 'Schedule not found');
      return view;
    },
  ],
  [
    'PUT',
    /^\/v1\/schedules\/([^/]+)$/,
    (s, sol, body, ref) => s.updateSchedule(sol, { ...asObject(body), schedule_reference: ref }),
  ],
  [
    'DELETE',
    /^\/v1\/schedules\/([^/]+)$/,
    (s, sol, _b, ref) => s.deleteSchedule(sol, { schedule_reference: ref }),
  ],
  [
    'POST',
    /^\/v1\/schedules\/([^/]+)\/pause$/,
    (s, sol, _b, ref) => s.pauseSchedule(sol, { schedule_reference: ref }),
  ],
  [
    'POST',
    /^\/v1\/schedules\/([^/]+)\/resume$/,
    (s, sol, _b, ref) => s.resumeSchedule(sol, { schedule_reference: ref }),
  ],
  [
    'POST',
    /^\/v1\/schedules\/([^/]+)\/trigger$/,
    (s, sol, _b, ref) => s.triggerSchedule(sol, { schedule_reference: ref }),
  ],
  [
    'GET',
    /^\/v1\/schedules\/([^/]+)\/runs$/,
    (s, sol, _b, ref, url) => {
      const limit = url.searchParams.get('limit');
      return s.listRuns(sol, { schedule_reference: ref, ...(limit === null ? {} : { limit }) });
    },
  ],
  ['GET', /^\/v1\/runbooks$/, async (s, sol) => ({ runbooks: await s.listRunbooks(sol) })],
  ['POST', /^\/v1\/runbooks$/, (s, sol, body) => s.registerRunbook({ ...asObject(body), solution: sol })],
];

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * The solution of a presented token. Compares digests in constant time against every configured token, so the
 * answer's timing tells nothing about how much of a guess was right.
 */
function solutionOf(tokens: TokenMap, presented: string): string | undefined {
  const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
  const wanted = digest(presented);
  let solution: string | undefined;
  for (const [token, tokenSolution] of tokens) {
    if (timingSafeEqual(digest(token), wanted)) solution = tokenSolution;
  }
  return solution;
}

function decodeReference(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'Schedule reference in the path is not valid percent-encoding');
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, `Request body must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

/** Handles one request; exported for reuse by other servers. */
export async function handle(
  service: SchedulerService,
  tokens: TokenMap,
  req: http.IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  try {
    const auth = req.headers.authorization ?? '';
    const solution = auth.startsWith('Bearer ') ? solutionOf(tokens, auth.slice(7).trim()) : undefined;
    if (solution === undefined) throw new HttpError(401, 'Missing or unknown bearer token');
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const [method, pattern, route] of ROUTES) {
      const match = pattern.exec(url.pathname);
      if (!match || req.method !== method) continue;
      const ref = match[1] !== undefined ? decodeReference(match[1]) : undefined;
      const body = method === 'GET' || method === 'DELETE' ? undefined : await readJson(req);
      return {
        status: method === 'POST' && pattern.source === '^\\/v1\\/schedules$' ? 201 : 200,
        body: await route(service, solution, body, ref, url),
      };
    }
    throw new HttpError(404, `No route for ${req.method ?? ''} ${url.pathname}`);
  } catch (err) {
    if (err instanceof ScheduleActionError) {
      return { status: STATUS_OF[err.code], body: { error: err.message, details: err.details } };
    }
    if (err instanceof HttpError)
      return { status: err.status, body: { error: err.message, details: err.details } };
    return {
      status: 500,
      body: { error: 'Internal error', details: [err instanceof Error ? err.message : String(err)] },
    };
  }
}

/** Starts the HTTP API; resolves with the server and its port once listening. */
export async function startHttpApi(
  service: SchedulerService,
  tokens: TokenMap,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    void handle(service, tokens, req).then(({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
