/**
 * Egress policy of HTTP dispatch (issue 9.2): which addresses a runbook's POST may connect to. Pure: no DNS, no
 * clock; the activity checks every resolved address of every connection against the policy, and registration
 * refuses URLs whose host is a literal denied address.
 *
 * Denied by default: loopback, link-local, private (RFC 1918, fc00::/7), CGNAT, multicast, reserved and
 * documentation ranges, and the IPv6 forms that embed an IPv4 address (IPv4-mapped and NAT64 are checked as
 * the IPv4 address they carry). An operator opens ranges with `RUNBOOK_SCHEDULER_EGRESS_ALLOW`. Unspecified
 * addresses (`0.0.0.0/8`, `::`) and the product's own endpoints (Temporal frontend, Temporal Web UI, the
 * product's HTTP API) stay denied whatever is opened.
 */
import { BlockList, isIP } from 'node:net';
import { SettingsError, portOf, type Settings } from '../config';

/** The settings the policy is built from. */
export type EgressSettings = Pick<
  Settings,
  'egressAllow' | 'address' | 'temporalUiPort' | 'httpHost' | 'httpPort'
>;

/**
 * What the policy must know about the machine and its names, found by the shell
 * (see `resolveEgressHost` in `./egress-host`), never by this module.
 */
export interface EgressHost {
  /** Addresses of this machine's interfaces: a server bound to `0.0.0.0` or `localhost` answers on them too. */
  readonly localAddresses?: readonly string[];
  /** Addresses of the product's own endpoint host names (other than `localhost`), as resolved at start. */
  readonly resolvedHosts?: ReadonlyMap<string, readonly string[]>;
}

/** A default-denied range, named for the worker's log. */
interface DeniedRange {
  readonly name: string;
  readonly list: BlockList;
}

/** One of the product's own endpoints: denied on its port at its addresses, whatever the allowlist opens. */
interface OwnEndpoint {
  readonly name: string;
  readonly port: number;
  readonly addresses: BlockList;
}

/** A built egress policy; see {@link buildEgressPolicy} and {@link egressDenial}. */
export interface EgressPolicy {
  /** Ranges opened by the operator, as configured. */
  readonly openedRanges: readonly string[];
  readonly opened: BlockList;
  readonly alwaysDenied: readonly DeniedRange[];
  readonly deniedByDefault: readonly DeniedRange[];
  readonly ownEndpoints: readonly OwnEndpoint[];
}

/** Registration refuses a target URL with credentials (`user:password@`); the password is never echoed. */
export const TARGET_URL_CREDENTIALS_MESSAGE = 'Target url must not contain credentials';
/** Registration refuses a target URL whose host is a literal address the egress policy denies. */
export const TARGET_URL_INTERNAL_MESSAGE = 'Target url must not point at a private or internal address';
/** Registration refuses a target URL that does not parse (the catalog schema says the same). */
export const TARGET_URL_INVALID_MESSAGE = 'Target url must be an http or https URL';
/**
 * The one reason a dispatch refused by the egress policy carries, whatever the address (loopback, private, the
 * product's own, ...), so a tenant cannot map internal addresses from its runs' failures.
 */
export const EGRESS_REFUSED_REASON = 'the target address is not allowed by the egress policy';

/** Unspecified addresses reach this machine; no operator range opens them. */
const ALWAYS_DENIED: ReadonlyArray<readonly [string, string]> = [
  ['unspecified', '0.0.0.0/8'],
  ['unspecified', '::/128'],
];

/** Ranges denied unless an operator opens them. */
const DENIED_BY_DEFAULT: ReadonlyArray<readonly [string, string]> = [
  ['loopback', '127.0.0.0/8'],
  ['loopback', '::1/128'],
  ['link-local', '169.254.0.0/16'],
  ['link-local', 'fe80::/10'],
  ['private', '10.0.0.0/8'],
  ['private', '172.16.0.0/12'],
  ['private', '192.168.0.0/16'],
  ['private', 'fc00::/7'],
  ['private (site-local)', 'fec0::/10'],
  ['CGNAT', '100.64.0.0/10'],
  ['multicast', '224.0.0.0/4'],
  ['multicast', 'ff00::/8'],
  ['reserved', '240.0.0.0/4'],
  ['reserved (IETF protocol assignments)', '192.0.0.0/24'],
  ['reserved (benchmarking)', '198.18.0.0/15'],
  ['documentation', '192.0.2.0/24'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['documentation', '2001:db8::/32'],
  ['IPv4-compatible (deprecated)', '::/96'],
  ['NAT64 local use', '64:ff9b:1::/48'],
  ['6to4', '2002::/16'],
  ['Teredo', '2001::/32'],
  ['discard-only', '100::/64'],
];

/** Loopback: where a server named `localhost` or bound to loopback or `0.0.0.0` answers. */
const LOCAL_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['127.0.0.0', 8],
  ['::1', 128],
  ['0.0.0.0', 8],
  ['::', 128],
];

/**
 * Builds the egress policy of a worker from its settings: the operator's opened ranges
 * (`settings.egressAllow`) and the product's own endpoints (`settings.address` for the Temporal frontend, its
 * host with `settings.temporalUiPort` for the Web UI, `settings.httpHost:httpPort` for the API).
 * @param host what the shell found about the machine (interface addresses, resolved endpoint names).
 * @throws {@link SettingsError} naming `RUNBOOK_SCHEDULER_EGRESS_ALLOW` when an opened range is malformed.
 */
export function buildEgressPolicy(settings: EgressSettings, host: EgressHost = {}): EgressPolicy {
  const opened = new BlockList();
  for (const range of settings.egressAllow) {
    const parsed = parseRange(range);
    if (parsed === undefined) {
      throw new SettingsError(
        `RUNBOOK_SCHEDULER_EGRESS_ALLOW entry "${range}" must be an address range such as 10.0.0.0/8 or ::1/128`,
      );
    }
    addRange(opened, parsed);
  }
  const temporalHost = hostOf(settings.address);
  const endpoints: ReadonlyArray<readonly [string, string, number]> = [
    ['the Temporal frontend', temporalHost, portOf(settings.address)],
    ['the Temporal Web UI', temporalHost, settings.temporalUiPort],
    ["the product's HTTP API", unbracket(settings.httpHost), settings.httpPort],
  ];
  return {
    openedRanges: [...settings.egressAllow],
    opened,
    alwaysDenied: ALWAYS_DENIED.map(([name, range]) => deniedRange(name, range)),
    deniedByDefault: DENIED_BY_DEFAULT.map(([name, range]) => deniedRange(name, range)),
    ownEndpoints: endpoints.map(([name, endpointHost, port]) => ({
      name: `${name} (${formatHostPort(endpointHost, port)})`,
      port,
      addresses: endpointAddresses(endpointHost, host),
    })),
  };
}

/**
 * Why the policy denies a connection to `address` on `port`, for the worker's log (e.g. `loopback 127.0.0.0/8`,
 * `the Temporal frontend (localhost:7233)`); `undefined` when the connection is allowed. Never shown to tenants:
 * their failures carry {@link EGRESS_REFUSED_REASON}.
 */
export function egressDenial(policy: EgressPolicy, address: string, port: number): string | undefined {
  const ip = canonicalAddress(address);
  if (ip === undefined) return 'not an IP address';
  const type = ip.family === 4 ? 'ipv4' : 'ipv6';
  for (const rule of policy.alwaysDenied) {
    if (rule.list.check(ip.address, type)) return rule.name;
  }
  for (const endpoint of policy.ownEndpoints) {
    if (endpoint.port === port && endpoint.addresses.check(ip.address, type)) return endpoint.name;
  }
  if (policy.opened.check(ip.address, type)) return undefined;
  for (const rule of policy.deniedByDefault) {
    if (rule.list.check(ip.address, type)) return rule.name;
  }
  return undefined;
}

/** True when the policy lets a dispatch connect to `address` on `port`; see {@link egressDenial}. */
export function isEgressAllowed(policy: EgressPolicy, address: string, port: number): boolean {
  return egressDenial(policy, address, port) === undefined;
}

/**
 * Why registration must refuse a target URL, or `undefined` when it may be registered: credentials in it
 * ({@link TARGET_URL_CREDENTIALS_MESSAGE}), or a host that is a literal address the policy denies in any
 * spelling the WHATWG URL parser normalises (`http://0x7f000001/`, `http://2130706433/`, `http://[::1]:8233`)
 * ({@link TARGET_URL_INTERNAL_MESSAGE}). Host names are left to the check at dispatch, which sees what they
 * resolve to each time.
 */
export function literalUrlRefusal(url: string, policy: EgressPolicy): string | undefined {
  const parsed = parseHttpUrl(url);
  if (parsed === undefined) return TARGET_URL_INVALID_MESSAGE;
  if (parsed.username !== '' || parsed.password !== '') return TARGET_URL_CREDENTIALS_MESSAGE;
  const host = unbracket(parsed.hostname);
  if (isIP(host) === 0) return undefined;
  return egressDenial(policy, host, urlPort(parsed)) === undefined ? undefined : TARGET_URL_INTERNAL_MESSAGE;
}

/** The URL when it parses as http or https, else `undefined`. */
export function parseHttpUrl(url: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
}

/** The port a URL connects to: its own, else 443 for https and 80 for http. */
export function urlPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** A host without the brackets of an IPv6 literal (`[::1]` -> `::1`). */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * An address as the policy compares it: without brackets or zone, and an IPv6 address that carries an IPv4
 * one (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) as that IPv4 address.
 */
export function canonicalAddress(address: string): { address: string; family: 4 | 6 } | undefined {
  const text = unbracket(address.trim()).replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 4) return { address: text, family: 4 };
  if (family !== 6) return undefined;
  const words = ipv6Words(text);
  const embedsV4 =
    (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) ||
    (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0));
  if (!embedsV4) return { address: text, family: 6 };
  const high = words[6] ?? 0;
  const low = words[7] ?? 0;
  return { address: [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.'), family: 4 };
}

/** The eight 16-bit words of a valid IPv6 address (checked by `isIP` first). */
function ipv6Words(text: string): number[] {
  let s = text;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    s = `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = s.split('::');
  const headWords = head === '' ? [] : head.split(':');
  const restWords = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros =
    rest === undefined ? [] : new Array<string>(8 - headWords.length - restWords.length).fill('0');
  return [...headWords, ...zeros, ...restWords].map((w) => parseInt(w, 16));
}

interface ParsedRange {
  readonly address: string;
  readonly prefix: number;
  readonly type: 'ipv4' | 'ipv6';
}

function parseRange(range: string): ParsedRange | undefined {
  const [address = '', bits, extra] = range.trim().split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max)) return undefined;
  return { address, prefix: bits === undefined ? max : Number(bits), type: family === 4 ? 'ipv4' : 'ipv6' };
}

function addRange(list: BlockList, range: ParsedRange): void {
  // An opened IPv4-mapped range means the IPv4 range: addresses are compared in their IPv4 form.
  const canonical = range.type === 'ipv6' ? canonicalAddress(range.address) : undefined;
  if (canonical?.family === 4 && range.prefix >= 96) {
    list.addSubnet(canonical.address, range.prefix - 96, 'ipv4');
    return;
  }
  list.addSubnet(range.address, range.prefix, range.type);
}

function deniedRange(name: string, range: string): DeniedRange {
  const parsed = parseRange(range);
  if (parsed === undefined) throw new RangeError(`bad built-in range ${range}`);
  const list = new BlockList();
  list.addSubnet(parsed.address, parsed.prefix, parsed.type);
  return { name: `${name} ${range}`, list };
}

/** The addresses one of the product's endpoints answers on. */
function endpointAddresses(endpointHost: string, host: EgressHost): BlockList {
  const list = new BlockList();
  const canonical = canonicalAddress(endpointHost);
  const local =
    endpointHost === 'localhost' ||
    endpointHost.endsWith('.localhost') ||
    (canonical !== undefined &&
      LOCAL_RANGES.some(([address, prefix]) => {
        const one = new BlockList();
        one.addSubnet(address, prefix, isIP(address) === 4 ? 'ipv4' : 'ipv6');
        return one.check(canonical.address, canonical.family === 4 ? 'ipv4' : 'ipv6');
      }));
  const add = (address: string): void => {
    const ip = canonicalAddress(address);
    if (ip) list.addAddress(ip.address, ip.family === 4 ? 'ipv4' : 'ipv6');
  };
  if (local) {
    // Bound to loopback or every interface, or named localhost: reachable through any local address.
    for (const [address, prefix] of LOCAL_RANGES) {
      list.addSubnet(address, prefix, isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
    for (const address of host.localAddresses ?? []) add(address);
  }
  if (canonical !== undefined) add(canonical.address);
  for (const address of host.resolvedHosts?.get(endpointHost.toLowerCase()) ?? []) add(address);
  return list;
}

/** The host of a `host:port` address, without IPv6 brackets. */
export function hostOf(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  // A bare IPv6 address has more than one colon and no port.
  if (isIP(address) === 6) return address;
  return address.replace(/:\d+$/, '').toLowerCase();
}

function formatHostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
