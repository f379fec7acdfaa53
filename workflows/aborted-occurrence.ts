/**
 * The abort record of an occurrence that will never fire (FEATURES.md B6): started, already tagged
 * `RunbookInstanceStatus = "Aborted"`, by `src/instances/abort.ts`; its input (the reason, who, when) is the
 * record, its history the aborted instance's activity stream. It completes at once.
 */
import { log } from '@temporalio/workflow';
import type { AbortRecord } from '../src/instances/abort-record';

/** Records an aborted occurrence; returns the record. */
export async function abortedOccurrenceWorkflow(record: AbortRecord): Promise<AbortRecord> {
  log.info(record.reason, { occurrence: record.occurrence, user: record.user });
  return await Promise.resolve(record);
}
