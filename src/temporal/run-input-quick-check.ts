/**
 * A fast, zod-free acceptance of a run's input, for the workflow's hot path (issue 13: worker CPU per run).
 *
 * A workflow's modules are evaluated again for every run the worker starts or replays, so importing zod and
 * building `ScheduledRunInputSchema` (`run-input-schema.ts`) there cost more CPU than the rest of the run's workflow code (about
 * 30 of 55 ms per run on this machine). The schema stays the one source of truth: this check only *accepts*,
 * and only inputs that the schema accepts too; whatever it does not accept goes to the schema, which decides and
 * gives the messages. It is deliberately narrower than the schema where the schema's rule is intricate (dates
 * must be in `toISOString` form, a URL must start with a lowercase `http://` or `https://`): a rarer input only
 * takes the slower path. `test/unit/run-input-quick-check.test.ts` checks the implication on generated inputs.
 *
 * Pure and deterministic, so it runs inside workflows.
 */
import { FREQUENCIES } from '../recurrence/types';
import { InstanceType, ScheduleKind, ScheduleOperationKind, type ScheduledRunInput } from './run-input';

type Fields = Readonly<Record<string, unknown>>;

const KINDS: readonly unknown[] = [ScheduleKind.Scheduler, ScheduleKind.Dynamic];
const INSTANCE_TYPES: readonly unknown[] = Object.values(InstanceType);
const OPERATION_KINDS: readonly unknown[] = Object.values(ScheduleOperationKind);
const FREQUENCY_NAMES: readonly unknown[] = FREQUENCIES;
/** `Date.prototype.toISOString` for years 0000-9999: a subset of what `z.iso.datetime()` accepts. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HTTP_PREFIX = /^https?:\/\//;
const TAB_OR_NEWLINE = /[\t\n\r]/;

/** An object zod's `z.object` takes: not null, not an array. */
function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object zod's `z.record` takes (its `isPlainObject`: any realm's plain object, or a null prototype). */
function isPlainObject(value: unknown): value is Fields {
  if (!isObject(value)) return false;
  const ctor: unknown = value.constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const prototype: unknown = (ctor as { prototype?: unknown }).prototype;
  return isObject(prototype) && Object.prototype.hasOwnProperty.call(prototype, 'isPrototypeOf');
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const isPositive = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;
const isInstant = (value: unknown): boolean =>
  typeof value === 'string' && ISO_INSTANT.test(value) && new Date(value).toISOString() === value;

function isStringRecord(value: unknown): boolean {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isRetry(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { maximumAttempts, initialIntervalMs, backoffCoefficient, maximumIntervalMs } = value;
  return (
    typeof maximumAttempts === 'number' &&
    Number.isSafeInteger(maximumAttempts) &&
    maximumAttempts >= 1 &&
    isPositive(initialIntervalMs) &&
    typeof backoffCoefficient === 'number' &&
    Number.isFinite(backoffCoefficient) &&
    backoffCoefficient >= 1 &&
    isPositive(maximumIntervalMs)
  );
}

/** What `new URL` parses as http or https, written as zod's non-normalising http check wants it. */
function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value !== value.trim() || TAB_OR_NEWLINE.test(value)) return false;
  if (!HTTP_PREFIX.test(value)) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

const isTargetText = (value: unknown): boolean => isText(value) && value.length <= 1000;

function isTarget(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (value.kind === 'http') {
    return isHttpUrl(value.url) && (value.headers === undefined || isStringRecord(value.headers));
  }
  return value.kind === 'workflow' && isTargetText(value.workflowType) && isTargetText(value.taskQueue);
}

function isOperation(value: unknown): boolean {
  return (
    isObject(value) &&
    OPERATION_KINDS.includes(value.kind) &&
    typeof value.user === 'string' &&
    typeof value.requestedAt === 'string' &&
    typeof value.completedAt === 'string'
  );
}

function isLifecycle(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isObject(value)) return false;
  return (
    Array.isArray(value.operations) &&
    value.operations.every(isOperation) &&
    isOptionalString(value.lastRetryAt)
  );
}

/**
 * Whether `value` is a run input the schema certainly accepts. False means "ask the schema", not "invalid".
 */
export function isAcceptedRunInput(value: unknown): value is ScheduledRunInput {
  if (!isObject(value)) return false;
  const v = value;
  return (
    isText(v.scheduleId) &&
    KINDS.includes(v.kind) &&
    isText(v.solution) &&
    isText(v.reference) &&
    isText(v.runbookUuid) &&
    isText(v.generation) &&
    isObject(v.recurrence) &&
    FREQUENCY_NAMES.includes(v.recurrence.frequency) &&
    (v.requestBody === undefined || isPlainObject(v.requestBody)) &&
    isTarget(v.target) &&
    isOptionalString(v.jobContextIdentifierPath) &&
    isRetry(v.retry) &&
    isOptionalString(v.revision) &&
    (v.rearmFrom === undefined || v.rearmFrom === null || isInstant(v.rearmFrom)) &&
    isOptionalString(v.submittedBy) &&
    (v.parameters === undefined || isStringRecord(v.parameters)) &&
    (v.instanceType === undefined || INSTANCE_TYPES.includes(v.instanceType)) &&
    isOptionalString(v.resubmittedFrom) &&
    (v.businessIdentifierKeys === undefined ||
      (Array.isArray(v.businessIdentifierKeys) &&
        v.businessIdentifierKeys.every((key) => typeof key === 'string'))) &&
    (v.triggeredAt === undefined || isInstant(v.triggeredAt)) &&
    (v.idempotencyKey === undefined || (isText(v.idempotencyKey) && v.idempotencyKey.length <= 1000)) &&
    isLifecycle(v.lifecycle)
  );
}
