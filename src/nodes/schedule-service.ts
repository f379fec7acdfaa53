/**
 * The schedule service with its schedule nodes (FEATURES.md D1-D5, seed 002): the node registry (register,
 * list, get, delete, clear a node's error) and the `schedule` / `cancel` / `query` actions, answered with the
 * seed's error numbers. The client API, the HTTP API (JSON and XML) and the CLI are thin layers over this class;
 * every call acts as one principal, in its solution.
 *
 * Admin authority over a node: the users the node lists in `admins` (its registering user always among them),
 * and every caller with the `ServiceAdministrator` role.
 */
import type { RunbookCatalog } from '../catalog/catalog';
import type { DispatchRetryPolicy } from '../config';
import { ActionErrorCode, Messages, ScheduleActionError } from '../connector/errors';
import { issueMessages } from '../connector/inputs';
import { targetRefusal, type TargetPolicy } from '../connector/target-policy';
import { UnavailableError } from '../errors';
import { hasRole, Role, type Principal } from '../principal';
import { credentialPath } from './credentials';
import { ErrorNumber, NodeMessages, ParameterProblems, ScheduleServiceError } from './errors';
import {
  RegisterNodeInputSchema,
  ScheduleAction,
  ScheduleServiceInputSchema,
  type ScheduleNode,
  type ScheduleServiceAnswer,
  type ScheduleServiceInput,
} from './model';
import type { NodeGateway, NodeRef } from './node-gateway';
import type { NodeStateView } from './node-state';
import type { ScheduleNodeStore } from './node-store';
import { formatScheduleTimestamp, resolveRunInstant } from './timing';

/** Dependencies of {@link ScheduleNodeService}. */
export interface ScheduleNodeServiceDeps {
  readonly store: ScheduleNodeStore;
  readonly gateway: NodeGateway;
  readonly catalog: RunbookCatalog;
  /** Where a scheduled runbook may dispatch (checked when scheduled; egress again at each dispatch). */
  readonly targets: TargetPolicy;
  /** Dispatch retries of each run (FEATURES.md A4). */
  readonly retry: DispatchRetryPolicy;
  readonly now: () => Date;
  /** `maximumDelay`, seconds (`RUNBOOK_SCHEDULER_MAXIMUM_DELAY`). */
  readonly maximumDelaySeconds: number;
  /** Pending runs one solution may have (`RUNBOOK_SCHEDULER_NODE_PENDING_LIMIT`); beyond, 110. */
  readonly pendingLimit: number;
}

/** A node with its workflow's state (pending run, error members), as Get Node answers. */
export interface NodeView extends ScheduleNode {
  readonly state: NodeStateView | null;
}

/** True when the principal has admin authority over the node. */
export function hasAdminAuthority(principal: Principal, node: ScheduleNode): boolean {
  return hasRole(principal, Role.ServiceAdministrator) || node.admins.includes(principal.user);
}

function refToNode(node: ScheduleNode): NodeRef {
  return { solution: node.solution, identifier: node.identifier, generation: node.generation };
}

/** The schedule service and its node registry. */
export class ScheduleNodeService {
  constructor(private readonly deps: ScheduleNodeServiceDeps) {}

  /**
   * Registers a node; the caller becomes one of its admins.
   * @throws {@link ScheduleActionError} `invalid` (messages in `details`) or `conflict` (identifier or reference taken).
   */
  async registerNode(principal: Principal, raw: unknown): Promise<ScheduleNode> {
    const parsed = RegisterNodeInputSchema.safeParse(raw);
    if (!parsed.success) {
      const messages = issueMessages(parsed.error);
      throw new ScheduleActionError(Messages.nodeInvalid(messages), ActionErrorCode.Invalid, messages);
    }
    const input = parsed.data;
    const node: ScheduleNode = {
      solution: principal.solution,
      identifier: input.identifier,
      reference: input.reference,
      admins: [...new Set([principal.user, ...(input.admins ?? [])])],
      generation: globalThis.crypto.randomUUID(),
      createdAt: this.deps.now().toISOString(),
      createdBy: principal.user,
    };
    const taken = await this.deps.store.add(node);
    if (taken) throw new ScheduleActionError(Messages.nodeTaken(taken), ActionErrorCode.Conflict);
    return node;
  }

  /** The solution's nodes. */
  listNodes(principal: Principal): Promise<ScheduleNode[]> {
    return this.deps.store.list(principal.solution);
  }

  /** A node with its pending run and error members. @throws {@link ScheduleActionError} `not_found` */
  async getNode(principal: Principal, identifier: string): Promise<NodeView> {
    const node = await this.existing(principal, identifier);
    return { ...node, state: (await this.deps.gateway.query(node.solution, node.identifier)) ?? null };
  }

  /**
   * Deletes a node: its pending run is cancelled first (it will not run), then the registration is removed.
   * @throws {@link ScheduleActionError} `not_found`, or `forbidden` without admin authority.
   */
  async deleteNode(principal: Principal, identifier: string): Promise<{ success: true; cancelled: boolean }> {
    const node = await this.administered(principal, identifier);
    const { cancelled } = await this.numbered(() => this.deps.gateway.remove(refToNode(node)));
    await this.deps.store.remove(node.solution, node.identifier);
    return { success: true, cancelled };
  }

  /**
   * Clears the node's error members, so `schedule` is accepted again (the seed's re-derivation of the node).
   * @throws {@link ScheduleActionError} `not_found`, or `forbidden` without admin authority.
   */
  async clearNodeError(principal: Principal, identifier: string): Promise<{ cleared: boolean }> {
    const node = await this.administered(principal, identifier);
    return await this.numbered(() => this.deps.gateway.clearError(refToNode(node)));
  }

  /**
   * The schedule service: `schedule` (default), `cancel` or `query` on a node. Refusals are answers, not
   * throws: `{errorNumber, errorMessage}` with 101, 102, 103, 106 or 110 (an outage is 110).
   */
  async scheduleService(principal: Principal, raw: unknown): Promise<ScheduleServiceAnswer> {
    try {
      return await this.act(principal, raw);
    } catch (err) {
      if (err instanceof ScheduleServiceError)
        return { errorNumber: err.errorNumber, errorMessage: err.message };
      if (err instanceof UnavailableError) {
        return { errorNumber: ErrorNumber.Temporary, errorMessage: NodeMessages.unavailable(err.message) };
      }
      throw err;
    }
  }

  private async act(principal: Principal, raw: unknown): Promise<ScheduleServiceAnswer> {
    const parsed = ScheduleServiceInputSchema.safeParse(raw);
    if (!parsed.success) throw parameterError(issueMessages(parsed.error).join('; '));
    const input = parsed.data;
    const node = await this.resolveNode(principal, input);
    if (!hasAdminAuthority(principal, node)) {
      throw new ScheduleServiceError(ErrorNumber.NotAuthorised, NodeMessages.notAuthorised(node.identifier));
    }
    const ref = refToNode(node);
    if (input.action === ScheduleAction.Query) {
      const state = await this.deps.gateway.query(node.solution, node.identifier);
      const pending = state && state.generation === node.generation ? state.pending : null;
      return pending
        ? { errorNumber: 0, scheduleTimestamp: formatScheduleTimestamp(new Date(pending.scheduleTimestamp)) }
        : { errorNumber: 0 };
    }
    if (input.action === ScheduleAction.Cancel) {
      await this.deps.gateway.cancel(ref);
      return { errorNumber: 0 };
    }
    const request = await this.runRequest(principal, node, input);
    await this.checkCapacity(node);
    const outcome = await this.deps.gateway.schedule(ref, request);
    return outcome.scheduled && outcome.scheduleTimestamp
      ? { errorNumber: 0, scheduleTimestamp: formatScheduleTimestamp(new Date(outcome.scheduleTimestamp)) }
      : { errorNumber: 0 };
  }

  /** The node named by identifier or, without one, by reference (the identifier wins). */
  private async resolveNode(principal: Principal, input: ScheduleServiceInput): Promise<ScheduleNode> {
    const { store } = this.deps;
    let node: ScheduleNode | undefined;
    if (input.nodeIdentifierSchedule !== undefined) {
      node = await store.getByIdentifier(principal.solution, input.nodeIdentifierSchedule);
    } else if (input.nodeVersionReferenceSchedule !== undefined) {
      node = await store.getByReference(principal.solution, input.nodeVersionReferenceSchedule);
    } else {
      throw parameterError(ParameterProblems.noNode);
    }
    if (!node) throw new ScheduleServiceError(ErrorNumber.NotFound, NodeMessages.notFound);
    return node;
  }

  /** The run a `schedule` asks for, every parameter checked (103 naming it); no credentials in it. */
  private async runRequest(principal: Principal, node: ScheduleNode, input: ScheduleServiceInput) {
    const timed = resolveRunInstant(input, this.deps.now(), this.deps.maximumDelaySeconds);
    if ('problem' in timed) throw parameterError(timed.problem);
    const service = input.service;
    if (service === undefined) throw parameterError(ParameterProblems.noService);
    const secret = credentialPath(service, 'service');
    if (secret !== undefined) throw parameterError(ParameterProblems.credentials(secret));
    const runbook = await this.deps.catalog.get(principal.solution, service.runbook_uuid);
    if (!runbook) throw parameterError(ParameterProblems.noRunbook);
    const refusal = targetRefusal(principal.solution, runbook.target, this.deps.targets);
    if (refusal !== undefined) throw parameterError(ParameterProblems.refusedTarget(refusal));
    return {
      generation: node.generation,
      scheduleTimestamp: timed.instant.toISOString(),
      runbookUuid: runbook.uuid,
      target: runbook.target,
      ...(service.request_body ? { requestBody: service.request_body } : {}),
      user: principal.user,
      retry: this.deps.retry,
    };
  }

  /** 110 when the solution has its limit of pending runs and this node adds one (it has none pending). */
  private async checkCapacity(node: ScheduleNode): Promise<void> {
    const { gateway, pendingLimit } = this.deps;
    if ((await gateway.countPending(node.solution)) < pendingLimit) return;
    const state = await gateway.query(node.solution, node.identifier);
    if (state?.pending && state.generation === node.generation) return; // replaces or is ignored: no new run
    throw new ScheduleServiceError(ErrorNumber.Temporary, NodeMessages.capacity(pendingLimit));
  }

  private async existing(principal: Principal, identifier: string): Promise<ScheduleNode> {
    const node = await this.deps.store.getByIdentifier(principal.solution, identifier);
    if (!node) throw new ScheduleActionError(Messages.nodeNotFound, ActionErrorCode.NotFound);
    return node;
  }

  private async administered(principal: Principal, identifier: string): Promise<ScheduleNode> {
    const node = await this.existing(principal, identifier);
    if (!hasAdminAuthority(principal, node)) {
      throw new ScheduleActionError(Messages.nodeAdminRequired(identifier), ActionErrorCode.Forbidden);
    }
    return node;
  }

  /** A registry operation's call to the node workflow: a validator's refusal (a malformed command) is invalid input. */
  private async numbered<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ScheduleServiceError)
        throw new ScheduleActionError(err.message, ActionErrorCode.Invalid);
      throw err;
    }
  }
}

function parameterError(problem: string): ScheduleServiceError {
  return new ScheduleServiceError(ErrorNumber.ParameterError, NodeMessages.parameter(problem));
}
