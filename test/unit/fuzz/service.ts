/** The real scheduler service over fresh in-memory fixtures, wired as the app wires it, for the fuzz suites. */
import { DEFAULT_TASK_QUEUE } from '../../../src/config';
import { SchedulerService } from '../../../src/connector/scheduler-service';
import { MemoryCatalog } from '../../fixtures/memory-catalog';
import { MemoryGateway } from '../../fixtures/memory-gateway';

/** The fuzz suites' clock: just before New York springs forward, with a fraction of a second to round. */
export const NOW = new Date('2025-03-09T06:59:59.250Z');
/** The solution the suites register into. */
export const SOLUTION = 'acme';

/** As src/app.ts builds it from settings: one task queue allowed to {@link SOLUTION}, the product's own never. */
const TARGETS = {
  workflowTargets: new Map([[SOLUTION, [{ taskQueue: 'tenant-queue' }]]]),
  productTaskQueue: DEFAULT_TASK_QUEUE,
};

/** A service over a fresh in-memory gateway and catalog, and that gateway. */
export function freshService(): { service: SchedulerService; gateway: MemoryGateway } {
  const gateway = new MemoryGateway();
  const service = new SchedulerService({
    catalog: new MemoryCatalog(),
    gateway,
    now: () => NOW,
    targets: TARGETS,
  });
  return { service, gateway };
}
