/**
 * The runbook catalog's model: runbooks, their trigger templates and dispatch targets, as zod schemas (the
 * single source of truth) with their inferred types.
 */
import { z } from 'zod';
import { targetHeaderProblems, targetUrlLengthProblem } from '../dispatch/headers';
import { ParameterDeclarationsSchema } from '../operations/parameters';

/** Fixed uuids of the trigger templates a runbook can use. Only the Dynamic Scheduler's accepts Create Schedule. */
export const TriggerTemplate = {
  /** Scheduler: the recurrence lives on the trigger (FEATURES.md A2). */
  Scheduler: '5b8f7a62-3c1d-4e0a-9f6b-1d2e3c4b5a61',
  /** Dynamic Scheduler: schedules are created at runtime by Create Schedule (FEATURES.md A6-A9). */
  DynamicScheduler: '9e3c1f04-7a2b-4d6e-8c5f-0b1a2d3e4f72',
  /** Webhook: fired by an external HTTP caller; not schedulable. */
  Webhook: 'c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e83',
} as const;
/** Uuid of a trigger template. */
export type TriggerTemplate = (typeof TriggerTemplate)[keyof typeof TriggerTemplate];

const TARGET_URL = z.url({ protocol: /^https?$/, error: 'Target url must be an http or https URL' });
const TARGET_HEADERS = z.record(z.string(), z.string({ error: 'Target header values must be strings' }), {
  error: 'Target headers must be an object of header names to values',
});
/** A required string field of a target, with messages naming it. */
const targetText = (field: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? `Target ${field} is required` : `Target ${field} must be a string`,
    })
    .min(1, `Target ${field} must not be empty`)
    .max(1000, `Target ${field} must be at most 1000 characters`);

const WORKFLOW_TARGET = z.object({
  kind: z.literal('workflow'),
  workflowType: targetText('workflowType'),
  taskQueue: targetText('taskQueue'),
});
const KIND_ERROR = { error: 'Target kind must be "http" or "workflow"' };

/** Where a fire goes: an HTTP endpoint, or a Temporal workflow type on a task queue. */
export const DispatchTargetSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('http'),
      url: TARGET_URL.check((ctx) => {
        const problem = targetUrlLengthProblem(ctx.value);
        if (problem !== undefined) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
      }),
      // Checked at registration so a header that breaks every dispatch (framing, CR/LF) is refused up front.
      headers: TARGET_HEADERS.check((ctx) => {
        for (const message of targetHeaderProblems(ctx.value)) {
          ctx.issues.push({ code: 'custom', input: ctx.value, message });
        }
      }).optional(),
    }),
    WORKFLOW_TARGET,
  ],
  KIND_ERROR,
);

/**
 * The shape of a target alone, without the registration rules (header names, URL length). The workflow checks
 * a run's target with it: rules that tighten later must not turn a run recorded under the old ones into a
 * different history on replay; the dispatch activity refuses what they forbid, without retrying.
 */
export const DispatchTargetShapeSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('http'), url: TARGET_URL, headers: TARGET_HEADERS.optional() }),
    WORKFLOW_TARGET,
  ],
  KIND_ERROR,
);

/** Where a fire goes. */
export type DispatchTarget = z.infer<typeof DispatchTargetSchema>;

/** Deepest nesting of a JSON object a tenant may send: `{}` is one level, `{"a": {}}` two. */
export const MAX_JSON_DEPTH = 32;

/**
 * What keeps `value` from being a JSON value of at most `maxDepth` levels (objects and arrays count), or
 * undefined. Walks one level at a time, never recursing, so no input can exhaust the stack; it stops at the
 * first level past the limit, so a cycle is too deep, and each level holds an object once, so shared
 * sub-objects cost no more than a tree.
 */
export function jsonShapeProblem(value: unknown, maxDepth: number): 'too_deep' | 'not_json' | undefined {
  let level: object[] = value !== null && typeof value === 'object' ? [value] : [];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth === maxDepth) return 'too_deep';
    const next = new Set<object>();
    for (const node of level) {
      for (const child of Object.values(node) as unknown[]) {
        // JSON.stringify throws on a bigint; functions and undefined it merely drops.
        if (typeof child === 'bigint') return 'not_json';
        if (child !== null && typeof child === 'object') next.add(child);
      }
    }
    level = [...next];
  }
  return typeof value === 'bigint' ? 'not_json' : undefined;
}

/**
 * A JSON object, as `request_body` must be: at most {@link MAX_JSON_DEPTH} levels deep, so that serialising
 * it (its size check, Temporal's payloads, the HTTP answer) can never exhaust the stack.
 */
export const JsonObjectSchema = z
  .record(z.string(), z.unknown(), { error: 'Request body must be a JSON object' })
  .check((ctx) => {
    const problem = jsonShapeProblem(ctx.value, MAX_JSON_DEPTH);
    if (problem === undefined) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message:
        problem === 'too_deep'
          ? `Request body must be nested at most ${MAX_JSON_DEPTH} levels deep`
          : 'Request body must contain only JSON values',
      // Later checks (the size in bytes) serialise the body: they must not see one that is too deep.
      continue: false,
    });
  });

/** Scheduler trigger config: `{schedule, request_body?}` (the recurrence is validated on provision). */
export const SchedulerTriggerSchema = z.object({
  template: z.literal(TriggerTemplate.Scheduler),
  schedule: z.unknown(),
  request_body: JsonObjectSchema.optional(),
  /** Set on provision: the reference of the schedule this trigger owns; cleared on deprovision. */
  schedule_reference: z.string().optional(),
});

/** Dynamic Scheduler trigger config: `{job_context_identifier_path?}`. */
export const DynamicSchedulerTriggerSchema = z.object({
  template: z.literal(TriggerTemplate.DynamicScheduler),
  job_context_identifier_path: z.string().optional(),
});

/** Webhook trigger config (not schedulable; present so that Create Schedule has something to refuse). */
export const WebhookTriggerSchema = z.object({
  template: z.literal(TriggerTemplate.Webhook),
  path: z.string().optional(),
});

/** A runbook's trigger. */
export const TriggerSchema = z.discriminatedUnion('template', [
  SchedulerTriggerSchema,
  DynamicSchedulerTriggerSchema,
  WebhookTriggerSchema,
]);
/** A runbook's trigger. */
export type Trigger = z.infer<typeof TriggerSchema>;

/** Most business identifier keys a runbook declares. */
export const MAX_BUSINESS_IDENTIFIERS = 10;

/** The business identifier keys a runbook declares: at most 10 distinct `request_body` keys of 1-100 characters. */
export const BusinessIdentifierKeysSchema = z
  .array(
    z
      .string({ error: 'Business identifier must be a string' })
      .min(1, 'Business identifier must not be empty')
      .max(100, 'Business identifier must be at most 100 characters'),
    { error: 'business_identifiers must be an array of request_body keys' },
  )
  .max(MAX_BUSINESS_IDENTIFIERS, `At most ${MAX_BUSINESS_IDENTIFIERS} business identifiers`)
  .refine((keys) => new Set(keys).size === keys.length, 'Business identifiers must be distinct');

/** A runbook as the catalog stores it. */
export const RunbookSchema = z.object({
  uuid: z.uuid({ error: 'Runbook uuid must be a UUID' }),
  solution: z.string().min(1, 'Solution must not be empty'),
  name: z.string().min(1, 'Runbook name must not be empty'),
  trigger: TriggerSchema,
  target: DispatchTargetSchema,
  /** Schedule parameters (FEATURES.md B3): named values with defaults; each run receives the values in force. */
  parameters: ParameterDeclarationsSchema.optional(),
  /** The `request_body` keys whose values identify an instance to operators (FEATURES.md B5). */
  business_identifiers: BusinessIdentifierKeysSchema.optional(),
});
/** A runbook as the catalog stores it. */
export type Runbook = z.infer<typeof RunbookSchema>;
