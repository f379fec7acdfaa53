/**
 * The Scheduler connector as one object (FEATURES.md A2, A5, A7-A10): the schedule actions
 * ({@link ScheduleActions}) and the runbook registry ({@link RunbookRegistry}) over one catalog and one schedule
 * gateway. The client API, the HTTP API and the CLI are thin layers over this class; every call is scoped to one
 * solution.
 */
import type { RunbookCatalog } from '../catalog/catalog';
import type { Runbook } from '../catalog/model';
import {
  DEFAULT_DISPATCH_RETRY,
  DEFAULT_SCHEDULE_QUOTA,
  DEFAULT_TASK_QUEUE,
  type DispatchRetryPolicy,
} from '../config';
import type { TargetPolicy } from './target-policy';
import type { RunView } from '../temporal/runs';
import type { ScheduleGateway } from '../temporal/schedule-gateway';
import { ScheduleQuota } from './quota';
import { RunbookRegistry } from './runbook-registry';
import {
  ScheduleActions,
  type CreateScheduleOutput,
  type ScheduleListPage,
  type ScheduleView,
  type Success,
} from './schedule-actions';

export type { CreateScheduleOutput, ScheduleListPage, ScheduleView, Success } from './schedule-actions';

/** Dependencies of {@link SchedulerService}. */
export interface SchedulerServiceDeps {
  readonly catalog: RunbookCatalog;
  readonly gateway: ScheduleGateway;
  /** The clock. @default `() => new Date()` */
  readonly now?: () => Date;
  readonly defaultTimeZone?: string;
  /** @default {@link DEFAULT_DISPATCH_RETRY} */
  readonly retry?: DispatchRetryPolicy;
  /** Where runbooks may send their fires. @default no workflow targets, HTTP targets unchecked at registration */
  readonly targets?: TargetPolicy;
  /** Live schedules one solution may have. @default {@link DEFAULT_SCHEDULE_QUOTA} */
  readonly scheduleQuota?: number;
}

/** The connector's operations, each scoped to one solution. */
export class SchedulerService {
  /** Create / Update / Delete Schedule and the reads and commands on one schedule. */
  readonly schedules: ScheduleActions;
  /** Runbooks and their Scheduler triggers. */
  readonly runbooks: RunbookRegistry;

  constructor(deps: SchedulerServiceDeps) {
    const now = deps.now ?? (() => new Date());
    const shared = {
      catalog: deps.catalog,
      gateway: deps.gateway,
      now,
      retry: deps.retry ?? DEFAULT_DISPATCH_RETRY,
      targets: deps.targets ?? { workflowTargets: new Map(), productTaskQueue: DEFAULT_TASK_QUEUE },
      quota: new ScheduleQuota(deps.gateway, deps.scheduleQuota ?? DEFAULT_SCHEDULE_QUOTA, now),
      ...(deps.defaultTimeZone ? { defaultTimeZone: deps.defaultTimeZone } : {}),
    };
    this.schedules = new ScheduleActions(shared);
    this.runbooks = new RunbookRegistry(shared);
  }

  /** {@link ScheduleActions.createSchedule} */
  createSchedule(solution: string, input: unknown, submittedBy?: string): Promise<CreateScheduleOutput> {
    return this.schedules.createSchedule(solution, input, submittedBy);
  }
  /** {@link ScheduleActions.updateSchedule} */
  updateSchedule(solution: string, input: unknown): Promise<Success> {
    return this.schedules.updateSchedule(solution, input);
  }
  /** {@link ScheduleActions.deleteSchedule} */
  deleteSchedule(solution: string, input: unknown): Promise<Success> {
    return this.schedules.deleteSchedule(solution, input);
  }
  /** {@link ScheduleActions.getSchedule} */
  getSchedule(solution: string, input: unknown): Promise<ScheduleView | undefined> {
    return this.schedules.getSchedule(solution, input);
  }
  /** {@link ScheduleActions.listSchedulePage} */
  listSchedulePage(solution: string, input?: unknown): Promise<ScheduleListPage> {
    return this.schedules.listSchedulePage(solution, input);
  }
  /** {@link ScheduleActions.listSchedules} */
  listSchedules(solution: string): Promise<ScheduleView[]> {
    return this.schedules.listSchedules(solution);
  }
  /** {@link ScheduleActions.listRuns} */
  listRuns(solution: string, input: unknown): Promise<{ runs: RunView[] }> {
    return this.schedules.listRuns(solution, input);
  }
  /** {@link ScheduleActions.pauseSchedule} */
  pauseSchedule(solution: string, input: unknown): Promise<Success> {
    return this.schedules.pauseSchedule(solution, input);
  }
  /** {@link ScheduleActions.resumeSchedule} */
  resumeSchedule(solution: string, input: unknown): Promise<Success> {
    return this.schedules.resumeSchedule(solution, input);
  }
  /** {@link ScheduleActions.triggerSchedule} */
  triggerSchedule(solution: string, input: unknown): Promise<Success> {
    return this.schedules.triggerSchedule(solution, input);
  }
  /** {@link RunbookRegistry.registerRunbook} */
  registerRunbook(runbook: unknown): Promise<Runbook> {
    return this.runbooks.registerRunbook(runbook);
  }
  /** {@link RunbookRegistry.removeRunbook} */
  removeRunbook(solution: string, uuid: string): Promise<boolean> {
    return this.runbooks.removeRunbook(solution, uuid);
  }
  /** {@link RunbookRegistry.listRunbooks} */
  listRunbooks(solution: string): Promise<Runbook[]> {
    return this.runbooks.listRunbooks(solution);
  }
  /** {@link RunbookRegistry.deprovision} */
  deprovision(runbook: Runbook): Promise<void> {
    return this.runbooks.deprovision(runbook);
  }
}
