/** Pure checks of the addresses settings name: local, loopback, the port of `host:port`. */

/** True when the address points at this machine, where the embedded dev server may be started. */
export function isLocalAddress(address: string): boolean {
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '0.0.0.0';
}

/** True when a bare host (no port) names this machine's loopback: `localhost`, `127.x.x.x` or `::1`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The port of a `host:port` address. @default 7233 when it names none */
export function portOf(address: string): number {
  const match = /:(\d+)$/.exec(address);
  return match ? Number(match[1]) : 7233;
}
