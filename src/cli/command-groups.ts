/**
 * The CLI's feature groups: each feature declares its commands (their option tables and summaries) in a file of
 * its own and is listed here once; its handlers are listed in `command-handlers.ts`. Pure, like `commands.ts`.
 */
import type { CommandSpec } from './commands';
import { WORKSPACE_COMMAND_GROUP } from './workspace-commands';
import { NODE_COMMAND_GROUP } from './node-commands';
import { OPERATION_COMMANDS } from './operation-commands';
import { INSTANCE_COMMANDS } from './instance-commands';

/** A feature's service commands, listed under their own heading in the usage. */
export interface CommandGroupSpec {
  /** Heading of the group in the general usage, e.g. `Schedule nodes`. */
  readonly title: string;
  /** Its commands by name (each of kind `service`); a name must not be taken by another command. */
  readonly commands: Readonly<Record<string, CommandSpec>>;
}

/** Every feature group, in usage order. */
export const COMMAND_GROUP_SPECS: readonly CommandGroupSpec[] = [
  WORKSPACE_COMMAND_GROUP,
  NODE_COMMAND_GROUP,
  OPERATION_COMMANDS,
  INSTANCE_COMMANDS,
];
