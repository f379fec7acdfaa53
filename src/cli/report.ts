/**
 * What the CLI prints and which status it exits with when a command ends in an error, in one place: invalid
 * input is 2, an operation that failed is 1, and an outage is never reported as invalid input.
 */
import { SettingsError } from '../config';
import { ActionErrorCode, ScheduleActionError } from '../connector/errors';
import { UnavailableError } from '../errors';
import { translateTemporalError } from '../temporal/temporal-errors';
import { USAGE, usageOf } from './commands';
import { InvalidRecurrenceError, UsageError } from './errors';

/** Exit statuses of the CLI. */
export const ExitStatus = {
  Success: 0,
  /** The operation failed: not found, a conflict, Temporal or the catalog unavailable. */
  Failed: 1,
  /** The command line, an input or a setting is invalid; nothing was attempted. */
  InvalidInput: 2,
} as const;
/** An exit status of the CLI. */
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** The end of a failed command: the text for stderr (newline-terminated) and the exit status. */
export interface Report {
  readonly status: ExitStatus;
  readonly text: string;
}

/**
 * The outage an error means, if it means one: an {@link UnavailableError}, or a raw Temporal transport error that
 * reached the CLI untranslated (a failed connect, say), read by the product's one translation of Temporal errors.
 */
export function outageOf(error: unknown): UnavailableError | undefined {
  if (error instanceof UnavailableError) return error;
  const translated = translateTemporalError(error);
  return translated instanceof UnavailableError ? translated : undefined;
}

/** What to print and which status to exit with for an error a command ended in. */
export function reportOf(error: unknown): Report {
  if (error instanceof UsageError) {
    const usage = error.command === undefined ? USAGE : usageOf(error.command);
    return { status: ExitStatus.InvalidInput, text: `${error.message}\n\n${usage}\n` };
  }
  if (error instanceof InvalidRecurrenceError) {
    return { status: ExitStatus.InvalidInput, text: error.messages.map((m) => `${m}\n`).join('') };
  }
  if (error instanceof SettingsError) return { status: ExitStatus.InvalidInput, text: `${error.message}\n` };
  if (error instanceof ScheduleActionError) {
    return {
      status: error.code === ActionErrorCode.Invalid ? ExitStatus.InvalidInput : ExitStatus.Failed,
      text: `${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`,
    };
  }
  const outage = outageOf(error);
  if (outage) return { status: ExitStatus.Failed, text: `${outage.message}\n` };
  return { status: ExitStatus.Failed, text: `${error instanceof Error ? error.message : String(error)}\n` };
}
