/**
 * The project's custom search attributes, registered on the namespace by `temporal-dev.sh` and by
 * {@link ensureSearchAttributes}. The dev server's budget is 10 Keyword and 3 of each other type; we use 8
 * Keyword attributes and 1 Text, so a deployment keeps room for its own.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Solution (tenant) that owns a schedule or run. */
export const SOLUTION = defineSearchAttributeKey('RunbookSolution', SearchAttributeType.KEYWORD);
/** Caller-chosen schedule reference, unique per solution. */
export const REFERENCE = defineSearchAttributeKey('RunbookReference', SearchAttributeType.KEYWORD);
/** UUID of the runbook a schedule fires. */
export const RUNBOOK = defineSearchAttributeKey('RunbookUuid', SearchAttributeType.KEYWORD);
/** Generation of a schedule reference: a fresh one on every Create after a Delete. */
export const GENERATION = defineSearchAttributeKey('RunbookGeneration', SearchAttributeType.KEYWORD);
/** Job context identifier of a Dynamic Scheduler run (FEATURES.md A6). */
export const JOB_CONTEXT = defineSearchAttributeKey('RunbookJobContext', SearchAttributeType.KEYWORD);
/** Outcome of a dispatch run: `succeeded`, `failed`, `duplicate`, `cancelled`. */
export const DISPATCH_STATUS = defineSearchAttributeKey('RunbookDispatchStatus', SearchAttributeType.KEYWORD);

/** On a schedule: the last dispatch failure, `<triggered_at> Runbook execution failed with status <status>`. */
export const LAST_ERROR = defineSearchAttributeKey('RunbookLastError', SearchAttributeType.KEYWORD);

/**
 * An instance's status as operators read it (`src/instances/status.ts`): `In progress`, `Blocked`, `Succeeded`,
 * `Errored`, `Aborted`, upserted by the run workflow (and set on an abort record when it starts).
 */
export const INSTANCE_STATUS = defineSearchAttributeKey('RunbookInstanceStatus', SearchAttributeType.KEYWORD);

/**
 * On a schedule: its recurrence as JSON (`src/temporal/schedule-listing.ts`), so a listing shows the rule from
 * Temporal's list alone. Text, not Keyword: SQL visibility stores Keywords in 255-character columns. Absent on
 * schedules written before it, and on a rule too long for one value ({@link MAX_RECURRENCE_ATTRIBUTE_BYTES}).
 */
export const RECURRENCE = defineSearchAttributeKey('RunbookRecurrence', SearchAttributeType.TEXT);

/** Longest {@link RECURRENCE} value, in UTF-8 bytes: under Temporal's default 2 KiB per search attribute value. */
export const MAX_RECURRENCE_ATTRIBUTE_BYTES = 2000;

/** Set by Temporal itself on runs started by a schedule: the occurrence's nominal instant (not custom). */
export const SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** Every custom attribute, with its type name as the CLI's `--search-attribute Name=Type` spells it. */
export const CUSTOM_SEARCH_ATTRIBUTES = [
  SOLUTION,
  REFERENCE,
  RUNBOOK,
  GENERATION,
  JOB_CONTEXT,
  DISPATCH_STATUS,
  LAST_ERROR,
  INSTANCE_STATUS,
  RECURRENCE,
].map((key) => ({ name: key.name, type: key.type === SearchAttributeType.TEXT ? 'Text' : 'Keyword' }));
