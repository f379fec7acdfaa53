/**
 * Errors of the command line itself, before any operation runs: both exit with status 2 (invalid input).
 */

/**
 * The command line is malformed (an unknown command, an option the command does not take, a missing value):
 * printed with the usage of `command`, or with the general usage when there is no valid command.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage is printed; undefined for the general usage. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A recurrence given on the command line is invalid: its validation messages are printed, one a line. */
export class InvalidRecurrenceError extends Error {
  override readonly name = 'InvalidRecurrenceError';
  constructor(readonly messages: readonly string[]) {
    super(messages.join('\n'));
  }
}
