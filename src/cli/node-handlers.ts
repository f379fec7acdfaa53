/**
 * Handlers of the schedule node commands (`node-commands.ts`): each parses its option values before anything
 * connects, then calls the schedule service as the CLI's principal. A schedule service answer with errorNumber 0
 * is printed on stdout (exit 0); a refusal is printed on stderr as the same JSON, exit 2 for 103 (parameter
 * error) and 1 for the others.
 */
import { ActionErrorCode, ScheduleActionError } from '../connector/errors';
import { ErrorNumber } from '../nodes/errors';
import type { CommandHandler, Values } from './command-handlers';
import { UsageError } from './errors';
import { NodeCommand } from './node-commands';

function jsonInput(command: string, values: Values): unknown {
  if (values.input === undefined) throw new UsageError('--input is required', command);
  try {
    return JSON.parse(values.input);
  } catch (err) {
    throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`, command);
  }
}

function nodeOf(command: string, values: Values): string {
  if (values.node === undefined || values.node === '') throw new UsageError('--node is required', command);
  return values.node;
}

/** The handlers of the schedule node commands, by command name. */
export const NODE_COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  [NodeCommand.Register]: (values) => {
    const input = jsonInput(NodeCommand.Register, values);
    return async (app, principal) => ({ json: await app.nodes.registerNode(principal, input) });
  },
  [NodeCommand.List]: () => async (app, principal) => ({
    json: { nodes: await app.nodes.listNodes(principal) },
  }),
  [NodeCommand.Get]: (values) => {
    const node = nodeOf(NodeCommand.Get, values);
    return async (app, principal) => ({ json: await app.nodes.getNode(principal, node) });
  },
  [NodeCommand.Delete]: (values) => {
    const node = nodeOf(NodeCommand.Delete, values);
    return async (app, principal) => ({ json: await app.nodes.deleteNode(principal, node) });
  },
  [NodeCommand.ClearError]: (values) => {
    const node = nodeOf(NodeCommand.ClearError, values);
    return async (app, principal) => ({ json: await app.nodes.clearNodeError(principal, node) });
  },
  [NodeCommand.ScheduleService]: (values) => {
    const input = jsonInput(NodeCommand.ScheduleService, values);
    return async (app, principal) => {
      const answer = await app.nodes.scheduleService(principal, input);
      if (answer.errorNumber === ErrorNumber.Ok) return { json: answer, compact: true };
      if (answer.errorNumber === ErrorNumber.ParameterError) {
        throw new ScheduleActionError(JSON.stringify(answer), ActionErrorCode.Invalid);
      }
      return { failure: JSON.stringify(answer) };
    };
  },
};
