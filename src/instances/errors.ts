/** Errors of the instance operations that concern Temporal's side (the connector's messages are in `connector/errors.ts`). */

/** The occurrence has a run already (it fired, or was resubmitted): it is no longer queued and cannot be aborted. */
export class OccurrenceAlreadyStartedError extends Error {
  override readonly name = 'OccurrenceAlreadyStartedError';
  constructor(
    /** The workflow id of the occurrence's run. */
    readonly workflowId: string,
  ) {
    super(`Occurrence ${workflowId} has already started`);
  }
}
