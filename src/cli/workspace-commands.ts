/**
 * The CLI's workspace schedule commands (FEATURES.md C1-C4): their option tables (a {@link CommandGroupSpec})
 * and their handlers, each parsing its values before anything connects. A sync prints its progress on stderr,
 * one line a schedule, and its result on stdout.
 */
import { readFileSync } from 'node:fs';
// Types only: commands.ts lists this group through command-groups.ts, so a value import would be circular.
import type { CommandSpec, OptionSpec } from './commands';
import type { CommandGroupSpec } from './command-groups';
import type { CommandHandler, Values } from './command-handlers';
import { UsageError } from './errors';
import { syncIntegration } from '../workspace/sync';

const solution: OptionSpec = {
  value: '<name>',
  description: 'the solution the command acts in (default: RUNBOOK_SCHEDULER_SOLUTION)',
};
const key: OptionSpec = {
  value: '<key>',
  description: "the schedule's key (managed: <integration>~<id>)",
  required: true,
};
const input: OptionSpec = { value: "'<json>'", description: 'the input, a JSON object', required: true };

const command = (summary: string, options: Record<string, OptionSpec>): CommandSpec => ({
  kind: 'service',
  summary,
  options: { ...options, solution },
});

/** The workspace commands by name. */
export const WORKSPACE_COMMANDS = {
  'workspace-jobs': command('the Jobs view: schedules by feature status, workspace schedules, services', {}),
  'workspace-add': command('add a workspace schedule {key, description, cadence, jobs, failure_policy?}', {
    input,
  }),
  'workspace-get': command('one workspace schedule', { key }),
  'workspace-edit': command('edit a workspace schedule {description?, cadence?, jobs?, failure_policy?}', {
    key,
    input,
  }),
  'workspace-delete': command('delete a workspace schedule', { key }),
  'workspace-activate': command('activate a schedule (not one of an Active feature)', { key }),
  'workspace-inactivate': command('inactivate a schedule (not one of an Active feature)', { key }),
  'workspace-run': command('run a schedule now, or only one of its jobs', {
    key,
    job: { value: 'N', description: 'only the job at this position (1-based)' },
  }),
  'workspace-runs': command("a schedule's most recent runs with each job's outcome", {
    key,
    limit: { value: 'N', description: 'how many, from 1 to 200 (default 20)' },
  }),
  'workspace-reset-cadence': command("reset a managed schedule's cadence to the integration's", { key }),
  'workspace-run-service': command('run a service (a runbook) now', {
    runbook: { value: '<uuid>', description: "the runbook's uuid", required: true },
  }),
  'workspace-preview': command('the next occurrences of a cadence {cadence, count?, after?}', { input }),
  'workspace-sync': command('sync an integration definition into the workspace', {
    definition: { value: "'<json>'", description: 'the definition (not with --definition-file)' },
    'definition-file': { value: '<path>', description: 'the definition in this JSON file' },
  }),
} as const satisfies Record<string, CommandSpec>;

/** The workspace command group of the usage. */
export const WORKSPACE_COMMAND_GROUP: CommandGroupSpec = {
  title: 'Workspace schedules (FEATURES.md C1-C4)',
  commands: WORKSPACE_COMMANDS,
};

type WorkspaceCommand = keyof typeof WORKSPACE_COMMANDS;

function jsonOf(command: WorkspaceCommand, flag: string, text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`--${flag} is required`, command);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`, command);
  }
}

function keyOf(command: WorkspaceCommand, values: Values): string {
  if (values.key === undefined) throw new UsageError('--key is required', command);
  return values.key;
}

function positiveOf(command: WorkspaceCommand, flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number from 1`, command);
  return n;
}

function definitionOf(values: Values): unknown {
  const file = values['definition-file'];
  if (file !== undefined && values.definition !== undefined) {
    throw new UsageError('Give --definition or --definition-file, not both', 'workspace-sync');
  }
  if (file === undefined) return jsonOf('workspace-sync', 'definition', values.definition);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--definition-file cannot be read: ${(err as Error).message}`, 'workspace-sync');
  }
  return jsonOf('workspace-sync', 'definition-file', text);
}

/** The handlers of the workspace commands. */
export const WORKSPACE_HANDLERS: Readonly<Record<WorkspaceCommand, CommandHandler>> = {
  'workspace-jobs': () => async (app, principal) => ({ json: await app.workspace.jobs(principal) }),
  'workspace-add': (values) => {
    const body = jsonOf('workspace-add', 'input', values.input);
    return async (app, principal) => ({ json: await app.workspace.create(principal, body) });
  },
  'workspace-get': (values) => {
    const k = keyOf('workspace-get', values);
    return async (app, principal) => ({ json: await app.workspace.get(principal, k) });
  },
  'workspace-edit': (values) => {
    const k = keyOf('workspace-edit', values);
    const body = jsonOf('workspace-edit', 'input', values.input);
    return async (app, principal) => ({ json: await app.workspace.update(principal, k, body) });
  },
  'workspace-delete': (values) => {
    const k = keyOf('workspace-delete', values);
    return async (app, principal) => ({ json: await app.workspace.delete(principal, k) });
  },
  'workspace-activate': (values) => {
    const k = keyOf('workspace-activate', values);
    return async (app, principal) => ({ json: await app.workspace.setActive(principal, k, true) });
  },
  'workspace-inactivate': (values) => {
    const k = keyOf('workspace-inactivate', values);
    return async (app, principal) => ({ json: await app.workspace.setActive(principal, k, false) });
  },
  'workspace-run': (values) => {
    const k = keyOf('workspace-run', values);
    const job = positiveOf('workspace-run', 'job', values.job);
    return async (app, principal) => ({
      json: await app.workspace.run(principal, k, job === undefined ? {} : { job }),
    });
  },
  'workspace-runs': (values) => {
    const k = keyOf('workspace-runs', values);
    const limit = positiveOf('workspace-runs', 'limit', values.limit);
    return async (app, principal) => ({ json: await app.workspace.runs(principal, k, limit) });
  },
  'workspace-reset-cadence': (values) => {
    const k = keyOf('workspace-reset-cadence', values);
    return async (app, principal) => ({ json: await app.workspace.resetCadence(principal, k) });
  },
  'workspace-run-service': (values) => {
    const uuid = values.runbook;
    if (uuid === undefined) throw new UsageError('--runbook is required', 'workspace-run-service');
    return async (app, principal) => ({ json: await app.workspace.runService(principal, uuid) });
  },
  'workspace-preview': (values) => {
    const body = jsonOf('workspace-preview', 'input', values.input);
    return (app) => Promise.resolve({ json: app.workspace.previewCadence(body), compact: true });
  },
  'workspace-sync': (values) => {
    const definition = definitionOf(values);
    return async (app, principal) => {
      const result = await syncIntegration(app.workspace, principal, definition, (p) => {
        process.stderr.write(`[${p.done}/${p.total}] ${p.action} ${p.key}\n`);
      });
      return { json: result };
    };
  },
};
