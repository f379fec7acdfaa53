/**
 * The shell around the pure egress policy: what it must know about this machine (its interface addresses) and
 * the addresses the product's own endpoint names resolve to, found once when the worker starts.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { buildEgressPolicy, hostOf, type EgressHost, type EgressPolicy, type EgressSettings } from './egress';

/**
 * This machine's interface addresses and the addresses of the Temporal and API host names (other than
 * `localhost`, which the policy knows), for {@link buildEgressPolicy}. A name that does not resolve now adds no
 * address: the product cannot reach it either, and the default-denied ranges still apply.
 */
export async function resolveEgressHost(settings: EgressSettings): Promise<EgressHost> {
  const localAddresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address);
  const names = [hostOf(settings.address), hostOf(settings.httpHost)].filter(
    (name) => isIP(name) === 0 && name !== 'localhost' && !name.endsWith('.localhost'),
  );
  const resolvedHosts = new Map<string, string[]>();
  for (const name of new Set(names)) {
    const addresses = await lookup(name, { all: true }).then(
      (found) => found.map((a) => a.address),
      // Unresolvable now: nothing to add (see above); the error is not the worker's to fail on.
      (): string[] => [],
    );
    resolvedHosts.set(name, addresses);
  }
  return { localAddresses, resolvedHosts };
}

/** The worker's egress policy: {@link buildEgressPolicy} over what {@link resolveEgressHost} found. */
export async function loadEgressPolicy(settings: EgressSettings): Promise<EgressPolicy> {
  return buildEgressPolicy(settings, await resolveEgressHost(settings));
}
