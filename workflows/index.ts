/** The worker's workflow entry point. */
export { scheduledRunWorkflow } from './scheduled-run';
export { rearmSweepWorkflow } from './sweep';
export { httpDispatchWorkflow } from './http-dispatch';
export { abortedOccurrenceWorkflow } from './aborted-occurrence';
export { workspaceRunWorkflow } from './workspace-run';
export { scheduleNodeWorkflow } from './schedule-node';
export { scheduleOperationWorkflow } from './schedule-operation';
