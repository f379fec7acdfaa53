/**
 * The CLI's instance commands (FEATURES.md B4-B7): `instances`, `future-runs`, `abort`, `cancel`, `resubmit`,
 * `activity`, `instance-payload`, their option tables (listed in `command-groups.ts`) and handlers (listed in `command-handlers.ts`). Values are
 * parsed by the instance service's own schemas, before anything connects.
 */
import {
  FutureRunsInputSchema,
  InstanceInputSchema,
  InstancePayloadInputSchema,
  ListInstancesInputSchema,
} from '../instances/inputs';
import { parseInput } from '../connector/parse';
import type { CommandGroupSpec } from './command-groups';
import type { CommandHandler, Values } from './command-handlers';
import type { OptionSpec } from './commands';

// The literal of `CommandKind.Service`: `commands.ts` imports this file (through the groups), so no value from it here.
const SERVICE = 'service' as const;

const reference: OptionSpec = { value: '<ref>', description: "the schedule's reference", required: true };
const solution: OptionSpec = {
  value: '<name>',
  description: 'the solution the command acts in (default: RUNBOOK_SCHEDULER_SOLUTION)',
};
const instance: OptionSpec = { value: '<id>', description: 'the instance id', required: true };

/** The instance commands' group. */
export const INSTANCE_COMMANDS: CommandGroupSpec = {
  title: 'Instances (scoped by --solution or RUNBOOK_SCHEDULER_SOLUTION)',
  commands: {
    instances: {
      kind: SERVICE,
      summary: 'list the instances of a schedule with their status',
      options: {
        reference,
        status: { value: '<status>', description: 'only this status, e.g. "In progress"' },
        from: { value: '<instant>', description: 'only occurrences at or after this ISO instant' },
        to: { value: '<instant>', description: 'only occurrences at or before this ISO instant' },
        'page-size': { value: '<n>', description: 'instances per page (default 20, at most 100)' },
        'page-token': { value: '<token>', description: 'the next_page_token of the previous page' },
        solution,
      },
    },
    'future-runs': {
      kind: SERVICE,
      summary: 'the next fire times of a schedule with their type',
      options: {
        reference,
        count: { value: '<n>', description: 'how many (default 10, at most 1000)' },
        solution,
      },
    },
    abort: {
      kind: SERVICE,
      summary: 'abort a Queued or Paused instance',
      options: { reference, instance, solution },
    },
    cancel: {
      kind: SERVICE,
      summary: 'cancel a running instance',
      options: { reference, instance, solution },
    },
    resubmit: {
      kind: SERVICE,
      summary: 'resubmit a finished instance',
      options: { reference, instance, solution },
    },
    activity: {
      kind: SERVICE,
      summary: "an instance's activity stream: milestones with their time, reason and who",
      options: { reference, instance, solution },
    },
    'instance-payload': {
      kind: SERVICE,
      summary: "the request an instance dispatched or the runbook's answer, as JSON (redirect to download)",
      options: {
        reference,
        instance,
        payload: { value: '<request|response>', description: 'which payload', required: true },
        solution,
      },
    },
  },
};

const defined = (entries: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));

const one = (values: Values) =>
  parseInput(InstanceInputSchema, { schedule_reference: values.reference, instance_id: values.instance });

/** The instance commands' handlers. */
export const INSTANCE_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  instances: (values) => {
    const input = parseInput(
      ListInstancesInputSchema,
      defined({
        schedule_reference: values.reference,
        status: values.status,
        from: values.from,
        to: values.to,
        page_size: values['page-size'],
        page_token: values['page-token'],
      }),
    );
    return async (app, principal) => ({ json: await app.instances.listInstances(principal, input) });
  },
  'future-runs': (values) => {
    const input = parseInput(
      FutureRunsInputSchema,
      defined({ schedule_reference: values.reference, count: values.count }),
    );
    return async (app, principal) => ({ json: await app.instances.futureRuns(principal, input) });
  },
  abort: (values) => {
    const input = one(values);
    return async (app, principal) => ({ json: await app.instances.abort(principal, input) });
  },
  cancel: (values) => {
    const input = one(values);
    return async (app, principal) => ({ json: await app.instances.cancel(principal, input) });
  },
  resubmit: (values) => {
    const input = one(values);
    return async (app, principal) => ({ json: await app.instances.resubmit(principal, input) });
  },
  activity: (values) => {
    const input = one(values);
    return async (app, principal) => ({ json: await app.instances.activity(principal, input) });
  },
  'instance-payload': (values) => {
    const input = parseInput(InstancePayloadInputSchema, {
      schedule_reference: values.reference,
      instance_id: values.instance,
      payload: values.payload,
    });
    return async (app, principal) => ({ json: await app.instances.payload(principal, input) });
  },
};
