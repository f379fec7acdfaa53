/**
 * Inputs of the schedule operations (FEATURES.md B1-B3, B8), one zod schema each, parsed at every boundary (client
 * API, HTTP, CLI) before anything is sent.
 */
import { z } from 'zod';
import { ScheduleReferenceInputSchema } from '../connector/inputs';
import { isValidUser, MAX_USER_LENGTH } from '../principal';
import { ParameterValuesSchema } from './parameters';

/** Pause, Resume, Stop, Retry, Refresh: `{schedule_reference}`. */
export const OperationInputSchema = ScheduleReferenceInputSchema;
/** Pause, Resume, Stop, Retry, Refresh input. */
export type OperationInput = z.infer<typeof OperationInputSchema>;

/** A user name given as the submitting user. */
export const SubmittedBySchema = z
  .string({ error: 'Submitted by must be a string' })
  .refine(
    isValidUser,
    `Submitted by must be 1 to ${MAX_USER_LENGTH} characters, without control characters or surrounding spaces`,
  );

/**
 * Start: `{schedule_reference, parameters?, submitted_by?}`: new values of the runbook's parameters, and (a
 * ServiceAdministrator only) the user the schedule's runs are submitted as.
 */
export const StartScheduleInputSchema = OperationInputSchema.extend({
  parameters: ParameterValuesSchema.optional(),
  submitted_by: SubmittedBySchema.optional(),
});
/** Start input. */
export type StartScheduleInput = z.infer<typeof StartScheduleInputSchema>;

/** Run now: `{schedule_reference, parameters?}`: new values for this run only. */
export const RunNowInputSchema = OperationInputSchema.extend({
  parameters: ParameterValuesSchema.optional(),
});
/** Run now input. */
export type RunNowInput = z.infer<typeof RunNowInputSchema>;
