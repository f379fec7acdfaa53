/**
 * One page of a solution's runbook schedules, from Temporal's list (visibility): a query on `RunbookSolution`,
 * each entry checked against the solution again, and each shown from its memo, search attributes and list info
 * (`schedule-listing.ts`). Only an entry that lacks a copied field (written before the copy existed, or too large
 * to copy) is described, alone.
 */
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { equalityClause } from './runs';
import {
  listedFromEntry,
  listedFromStored,
  type ListedSchedule,
  type ScheduleListEntry,
} from './schedule-listing';
import { isProductMemo, type StoredSchedule } from './schedule-options';
import { GENERATION, SOLUTION } from './search-attributes';
import { GrpcStatus, grpcCodeOf, PageTokenRejectedError, translateTemporalError } from './temporal-errors';

/** Which page: how many at most, and after which (Temporal's token of the previous page). */
export interface SchedulePageRequest {
  readonly pageSize: number;
  /** Temporal's next-page token of the previous page; absent for the first. */
  readonly pageToken?: Uint8Array;
}

/** One page of listed schedules. */
export interface SchedulePage {
  readonly schedules: ListedSchedule[];
  /** Temporal's token of the next page; absent on the last. */
  readonly nextPageToken?: Uint8Array;
  /** How many of them were described (their memo or search attributes lacked a field). */
  readonly described: number;
}

/**
 * The visibility query of a solution's runbook schedules (workspace schedules share `RunbookSolution` but have no
 * generation), or undefined when the solution cannot be put in a query (see {@link equalityClause}).
 */
export function runbookSchedulesQuery(solution: string): string | undefined {
  const clause = equalityClause(SOLUTION.name, solution);
  return clause && `${clause} AND ${GENERATION.name} IS NOT NULL`;
}

/** How many fallback describes of one page run at once. */
const DESCRIBE_CONCURRENCY = 8;

/**
 * One page of the solution's schedules. A solution that cannot be put in a query (see {@link equalityClause})
 * pages through all schedules of the namespace, its own picked by their memo, so its pages may hold fewer.
 * @param describe reads one schedule in full, for the entries whose memo lacks a field.
 * @throws {@link PageTokenRejectedError} when Temporal refuses the token.
 */
export async function listSchedulePage(
  client: Client,
  solution: string,
  request: SchedulePageRequest,
  describe: (scheduleId: string) => Promise<StoredSchedule | undefined>,
): Promise<SchedulePage> {
  const query = runbookSchedulesQuery(solution);
  let response: temporal.api.workflowservice.v1.ListSchedulesResponse;
  try {
    response = await client.workflowService.listSchedules({
      namespace: client.options.namespace,
      maximumPageSize: request.pageSize,
      ...(request.pageToken ? { nextPageToken: request.pageToken } : {}),
      ...(query ? { query } : {}),
    });
  } catch (err) {
    const code = grpcCodeOf(err);
    if (request.pageToken && (code === GrpcStatus.Unknown || code === GrpcStatus.InvalidArgument)) {
      throw new PageTokenRejectedError({ cause: err });
    }
    throw translateTemporalError(err);
  }
  const entries: ScheduleListEntry[] = [];
  for (const raw of response.schedules) {
    const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, raw.memo?.fields);
    // Tenancy: whatever the query matched, only the solution's own runbook schedules are listed.
    if (!isProductMemo(memo) || memo.solution !== solution || !raw.scheduleId) continue;
    entries.push({
      scheduleId: raw.scheduleId,
      memo,
      searchAttributes: decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields),
      paused: raw.info?.paused === true,
      note: raw.info?.notes ?? undefined,
      nextActionTimes: (raw.info?.futureActionTimes ?? []).flatMap((ts) => optionalTsToDate(ts) ?? []),
    });
  }
  const listed = entries.map(listedFromEntry);
  const missing = entries.filter((_, i) => listed[i] === undefined);
  const described = new Map<string, StoredSchedule | undefined>();
  for (let i = 0; i < missing.length; i += DESCRIBE_CONCURRENCY) {
    const batch = missing.slice(i, i + DESCRIBE_CONCURRENCY);
    const stored = await Promise.all(batch.map((entry) => describe(entry.scheduleId)));
    batch.forEach((entry, j) => described.set(entry.scheduleId, stored[j]));
  }
  const schedules = entries.flatMap((entry, i): ListedSchedule[] => {
    const fromList = listed[i];
    if (fromList) return [fromList];
    const stored = described.get(entry.scheduleId);
    // Deleted since the list, or (whatever the list said) not the solution's: left out.
    return stored && stored.memo.solution === solution ? [listedFromStored(stored)] : [];
  });
  const token = response.nextPageToken;
  return {
    schedules,
    ...(token && token.length > 0 ? { nextPageToken: token } : {}),
    described: missing.length,
  };
}

/**
 * How many runbook schedules the solution has, counted by Temporal (CountSchedules): one call, however many.
 * @returns undefined when the server does not count schedules or the solution cannot be put in a query.
 */
export async function countRunbookSchedules(client: Client, solution: string): Promise<number | undefined> {
  const query = runbookSchedulesQuery(solution);
  if (!query) return undefined;
  try {
    const { count } = await client.workflowService.countSchedules({
      namespace: client.options.namespace,
      query,
    });
    return Number(count ?? 0);
  } catch (err) {
    if (grpcCodeOf(err) === GrpcStatus.Unimplemented) return undefined;
    throw translateTemporalError(err);
  }
}

/**
 * Ids of the product's schedules: of one solution through a visibility query on `RunbookSolution`, or all of
 * them (the sweep). A solution holding `"` or `\` cannot be put in a query on every store (see
 * {@link equalityClause}), so its schedules are found by their memo instead.
 */
export async function listScheduleIds(client: Client, solution?: string): Promise<string[]> {
  const clause = solution === undefined ? undefined : equalityClause(SOLUTION.name, solution);
  const ids: string[] = [];
  for await (const summary of client.schedule.list(clause ? { query: clause } : {})) {
    if (!isProductMemo(summary.memo)) continue;
    if (solution !== undefined && summary.memo.solution !== solution) continue;
    ids.push(summary.scheduleId);
  }
  return ids;
}
