/**
 * The CLI's schedule node commands (FEATURES.md D1-D5): the node registry and the schedule service's JSON form.
 * Option tables only (pure); the handlers are in `node-handlers.ts`.
 */
import type { CommandGroupSpec } from './command-groups';
import type { CommandKind, OptionSpec } from './commands';

// A literal, not `CommandKind.Service`: `commands.ts` imports this group, so its values are not loaded yet here.
const SERVICE: CommandKind = 'service';

const solution: OptionSpec = {
  value: '<name>',
  description: 'the solution the command acts in (default: RUNBOOK_SCHEDULER_SOLUTION)',
};
const node: OptionSpec = { value: '<identifier>', description: "the node's identifier", required: true };
const input: OptionSpec = { value: "'<json>'", description: 'the input, a JSON object', required: true };

/** Names of the schedule node commands. */
export const NodeCommand = {
  Register: 'node-register',
  List: 'node-list',
  Get: 'node-get',
  Delete: 'node-delete',
  ClearError: 'node-clear-error',
  ScheduleService: 'schedule-service',
} as const;

/** The `Schedule nodes` group. */
export const NODE_COMMAND_GROUP: CommandGroupSpec = {
  title: 'Schedule nodes (the schedule service; acts as RUNBOOK_SCHEDULER_USER)',
  commands: {
    [NodeCommand.Register]: {
      kind: SERVICE,
      summary: 'register a node {identifier, reference, admins?}; you become an admin',
      options: { input, solution },
    },
    [NodeCommand.List]: { kind: SERVICE, summary: "the solution's nodes", options: { solution } },
    [NodeCommand.Get]: {
      kind: SERVICE,
      summary: 'one node, with its pending run and error members',
      options: { node, solution },
    },
    [NodeCommand.Delete]: {
      kind: SERVICE,
      summary: 'delete a node; its pending run is cancelled',
      options: { node, solution },
    },
    [NodeCommand.ClearError]: {
      kind: SERVICE,
      summary: "clear a node's error so schedule is accepted again",
      options: { node, solution },
    },
    [NodeCommand.ScheduleService]: {
      kind: SERVICE,
      summary:
        'schedule / cancel / query: {action?, nodeIdentifierSchedule, scheduleTimestamp?, delay?, service}',
      options: { input, solution },
    },
  },
};
