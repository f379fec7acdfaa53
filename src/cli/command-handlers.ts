/**
 * The handlers of the feature groups' commands (`command-groups.ts`): each parses its option values before
 * anything connects (throwing `UsageError` or the service's own validation errors) and returns the call to make
 * once the app is connected.
 */
import type { App } from '../app';
import type { Principal } from '../principal';
import { WORKSPACE_HANDLERS } from './workspace-commands';
import { NODE_COMMAND_HANDLERS } from './node-handlers';
import { OPERATION_HANDLERS } from './operation-commands';
import { INSTANCE_HANDLERS } from './instance-commands';

/** What a command ends with: JSON or text on stdout, or a failure message on stderr. */
export type Outcome =
  | { readonly json: unknown; readonly compact?: boolean }
  | { readonly text: string }
  | { readonly failure: string };

/** Option values of a command line, by option name (absent options are absent). */
export type Values = Readonly<Record<string, string>>;

/** An operation, its inputs already parsed, waiting for a connected app; acts as `principal`. */
export type ServiceCall = (app: App, principal: Principal) => Promise<Outcome>;

/** Parses a command's option values into its call. */
export type CommandHandler = (values: Values) => ServiceCall;

/** Every feature group command's handler, by command name. */
export const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  ...WORKSPACE_HANDLERS,
  ...NODE_COMMAND_HANDLERS,
  ...OPERATION_HANDLERS,
  ...INSTANCE_HANDLERS,
};
