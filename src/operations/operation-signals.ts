/** Names shared by the operation workflow and its client (no imports: workflow bundles load it). */

/** Name of the Retry signal of a pending schedule operation. */
export const RETRY_SIGNAL = 'retryScheduleOperation';
