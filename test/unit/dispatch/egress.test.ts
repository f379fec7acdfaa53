/** The egress policy of HTTP dispatch (issue 9.2): what a runbook's POST may connect to, and what registration refuses. */
import { SettingsError } from '../../../src/config';
import {
  EGRESS_REFUSED_REASON,
  TARGET_URL_CREDENTIALS_MESSAGE,
  TARGET_URL_INTERNAL_MESSAGE,
  TARGET_URL_INVALID_MESSAGE,
  buildEgressPolicy,
  canonicalAddress,
  egressDenial,
  hostOf,
  isEgressAllowed,
  literalUrlRefusal,
  type EgressSettings,
} from '../../../src/dispatch/egress';

/** The defaults of `loadSettings`: the embedded dev server, its UI, the API on loopback. */
const SETTINGS: EgressSettings = {
  egressAllow: [],
  address: 'localhost:7233',
  temporalUiPort: 8233,
  httpHost: '127.0.0.1',
  httpPort: 8080,
};
const LOOPBACK_OPEN: EgressSettings = { ...SETTINGS, egressAllow: ['127.0.0.0/8', '::1/128'] };

describe('egressDenial: denied by default', () => {
  const policy = buildEgressPolicy(SETTINGS);
  it.each([
    ['127.0.0.1', 'loopback 127.0.0.0/8'],
    ['127.255.255.254', 'loopback 127.0.0.0/8'],
    ['::1', 'loopback ::1/128'],
    ['169.254.169.254', 'link-local 169.254.0.0/16'],
    ['fe80::1', 'link-local fe80::/10'],
    ['fe80::1%eth0', 'link-local fe80::/10'],
    ['10.0.0.5', 'private 10.0.0.0/8'],
    ['172.16.0.1', 'private 172.16.0.0/12'],
    ['172.31.255.255', 'private 172.16.0.0/12'],
    ['192.168.1.1', 'private 192.168.0.0/16'],
    ['fc00::1', 'private fc00::/7'],
    ['fd12:3456::1', 'private fc00::/7'],
    ['100.64.0.1', 'CGNAT 100.64.0.0/10'],
    ['100.127.255.255', 'CGNAT 100.64.0.0/10'],
    ['224.0.0.1', 'multicast 224.0.0.0/4'],
    ['239.255.255.250', 'multicast 224.0.0.0/4'],
    ['ff02::1', 'multicast ff00::/8'],
    ['0.0.0.0', 'unspecified 0.0.0.0/8'],
    ['::', 'unspecified ::/128'],
    ['255.255.255.255', 'reserved 240.0.0.0/4'],
    // IPv4-mapped and NAT64 forms are judged as the IPv4 address they carry.
    ['::ffff:127.0.0.1', 'loopback 127.0.0.0/8'],
    ['::ffff:7f00:1', 'loopback 127.0.0.0/8'],
    ['0:0:0:0:0:ffff:a00:5', 'private 10.0.0.0/8'],
    ['::ffff:169.254.169.254', 'link-local 169.254.0.0/16'],
    ['::ffff:0.0.0.0', 'unspecified 0.0.0.0/8'],
    ['64:ff9b::10.0.0.5', 'private 10.0.0.0/8'],
    ['::127.0.0.1', 'IPv4-compatible (deprecated) ::/96'],
    ['[::1]', 'loopback ::1/128'],
  ])('%s: %s', (address, rule) => {
    expect(egressDenial(policy, address, 80)).toBe(rule);
    expect(isEgressAllowed(policy, address, 80)).toBe(false);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('%s, a public address, is allowed', (address) => {
    expect(egressDenial(policy, address, 443)).toBeUndefined();
    expect(isEgressAllowed(policy, address, 443)).toBe(true);
  });

  it('refuses what is not an address', () => {
    expect(egressDenial(policy, 'localhost', 80)).toBe('not an IP address');
  });
});

describe('egressDenial: ranges an operator opens', () => {
  it('opens exactly the configured ranges, in either spelling of an IPv4 address', () => {
    const policy = buildEgressPolicy({
      ...SETTINGS,
      egressAllow: ['10.20.0.0/16', '::1/128', '192.168.7.7'],
    });
    expect(egressDenial(policy, '10.20.3.4', 80)).toBeUndefined();
    expect(egressDenial(policy, '::ffff:10.20.3.4', 80)).toBeUndefined();
    expect(egressDenial(policy, '10.21.0.1', 80)).toBe('private 10.0.0.0/8');
    expect(egressDenial(policy, '::1', 9000)).toBeUndefined();
    expect(egressDenial(policy, '127.0.0.1', 9000)).toBe('loopback 127.0.0.0/8');
    expect(egressDenial(policy, '192.168.7.7', 80)).toBeUndefined();
    expect(egressDenial(policy, '192.168.7.8', 80)).toBe('private 192.168.0.0/16');
  });

  it('an opened IPv4-mapped range opens the IPv4 range', () => {
    const policy = buildEgressPolicy({ ...SETTINGS, egressAllow: ['::ffff:10.0.0.0/104'] });
    expect(egressDenial(policy, '10.1.2.3', 80)).toBeUndefined();
  });

  it('never opens unspecified addresses, not even with everything open', () => {
    const policy = buildEgressPolicy({ ...SETTINGS, egressAllow: ['0.0.0.0/0', '::/0'] });
    expect(egressDenial(policy, '10.0.0.5', 80)).toBeUndefined();
    expect(egressDenial(policy, '0.0.0.0', 80)).toBe('unspecified 0.0.0.0/8');
    expect(egressDenial(policy, '::', 80)).toBe('unspecified ::/128');
    expect(egressDenial(policy, '::ffff:0.0.0.0', 80)).toBe('unspecified 0.0.0.0/8');
  });

  it('names a malformed range as the setting does', () => {
    expect(() => buildEgressPolicy({ ...SETTINGS, egressAllow: ['10.0.0.0/33'] })).toThrow(
      new SettingsError(
        'RUNBOOK_SCHEDULER_EGRESS_ALLOW entry "10.0.0.0/33" must be an address range such as 10.0.0.0/8 or ::1/128',
      ),
    );
  });
});

describe("egressDenial: the product's own endpoints stay denied", () => {
  const policy = buildEgressPolicy(LOOPBACK_OPEN, { localAddresses: ['10.1.2.3', 'fe80::1'] });

  it.each([
    ['127.0.0.1', 7233, 'the Temporal frontend (localhost:7233)'],
    ['::1', 7233, 'the Temporal frontend (localhost:7233)'],
    ['127.0.0.2', 7233, 'the Temporal frontend (localhost:7233)'],
    ['::ffff:127.0.0.1', 7233, 'the Temporal frontend (localhost:7233)'],
    ['10.1.2.3', 7233, 'the Temporal frontend (localhost:7233)'],
    ['127.0.0.1', 8233, 'the Temporal Web UI (localhost:8233)'],
    ['::1', 8233, 'the Temporal Web UI (localhost:8233)'],
    ['127.0.0.1', 8080, "the product's HTTP API (127.0.0.1:8080)"],
  ])('%s port %i: %s', (address, port, rule) => {
    expect(egressDenial(policy, address, port)).toBe(rule);
  });

  it('while other ports of the opened loopback are reachable', () => {
    expect(egressDenial(policy, '127.0.0.1', 9000)).toBeUndefined();
    expect(egressDenial(policy, '::1', 8090)).toBeUndefined();
  });

  it('covers a remote Temporal at the addresses its name resolved to, and an API bound to an address', () => {
    const remote = buildEgressPolicy(
      {
        ...SETTINGS,
        egressAllow: ['10.0.0.0/8'],
        address: 'Temporal.Internal:7233',
        httpHost: '10.9.9.9',
      },
      { resolvedHosts: new Map([['temporal.internal', ['10.5.5.5']]]) },
    );
    expect(egressDenial(remote, '10.5.5.5', 7233)).toBe('the Temporal frontend (temporal.internal:7233)');
    expect(egressDenial(remote, '10.5.5.5', 8233)).toBe('the Temporal Web UI (temporal.internal:8233)');
    expect(egressDenial(remote, '10.9.9.9', 8080)).toBe("the product's HTTP API (10.9.9.9:8080)");
    expect(egressDenial(remote, '10.5.5.5', 443)).toBeUndefined();
    expect(egressDenial(remote, '10.9.9.8', 8080)).toBeUndefined();
  });

  it('covers every local address when the API binds to all interfaces', () => {
    const all = buildEgressPolicy(
      { ...LOOPBACK_OPEN, egressAllow: ['0.0.0.0/0'], httpHost: '0.0.0.0' },
      { localAddresses: ['192.168.4.2'] },
    );
    expect(egressDenial(all, '192.168.4.2', 8080)).toBe("the product's HTTP API (0.0.0.0:8080)");
    expect(egressDenial(all, '127.0.0.1', 8080)).toBe("the product's HTTP API (0.0.0.0:8080)");
    expect(egressDenial(all, '192.168.4.3', 8080)).toBeUndefined();
  });
});

describe('literalUrlRefusal', () => {
  const policy = buildEgressPolicy(SETTINGS);

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:7233',
    'http://[::1]:8233',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://10.0.0.5/',
    'https://[::ffff:127.0.0.1]/',
    'http://[::ffff:a00:5]/',
    'http://[fe80::1]/',
    'http://0.0.0.0:8080/',
    'http://100.64.1.1/',
  ])('refuses %s, a literal internal address', (url) => {
    expect(literalUrlRefusal(url, policy)).toBe(TARGET_URL_INTERNAL_MESSAGE);
  });

  it.each([
    'https://example.com/hook',
    'http://localhost:9000/',
    'http://93.184.215.14/',
    'https://[2606:4700::1111]/',
  ])('accepts %s (names are checked at dispatch, on what they resolve to)', (url) => {
    expect(literalUrlRefusal(url, policy)).toBeUndefined();
  });

  it('accepts an opened literal address, except on the product’s own ports', () => {
    const open = buildEgressPolicy(LOOPBACK_OPEN);
    expect(literalUrlRefusal('http://127.0.0.1:9000/hook', open)).toBeUndefined();
    expect(literalUrlRefusal('http://127.0.0.1:7233', open)).toBe(TARGET_URL_INTERNAL_MESSAGE);
    expect(literalUrlRefusal('http://[::1]:8233', open)).toBe(TARGET_URL_INTERNAL_MESSAGE);
    expect(literalUrlRefusal('http://127.0.0.1:8080/v1/runbooks', open)).toBe(TARGET_URL_INTERNAL_MESSAGE);
  });

  it('refuses credentials without echoing them', () => {
    for (const url of [
      'https://user:s3cr3t-pw@example.com/',
      'https://user@example.com/',
      'https://:s3cr3t-pw@example.com/',
    ]) {
      const refusal = literalUrlRefusal(url, policy);
      expect(refusal).toBe(TARGET_URL_CREDENTIALS_MESSAGE);
      expect(refusal).not.toContain('s3cr3t-pw');
    }
    expect(TARGET_URL_CREDENTIALS_MESSAGE).toBe('Target url must not contain credentials');
    expect(TARGET_URL_INTERNAL_MESSAGE).toBe('Target url must not point at a private or internal address');
  });

  it('refuses what is not an http(s) URL, as the catalog schema does', () => {
    expect(literalUrlRefusal('not a url', policy)).toBe(TARGET_URL_INVALID_MESSAGE);
    expect(literalUrlRefusal('ftp://example.com/', policy)).toBe('Target url must be an http or https URL');
  });
});

describe('helpers', () => {
  it('canonicalAddress strips brackets and zones and unwraps embedded IPv4', () => {
    expect(canonicalAddress('[::ffff:7f00:1]')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(canonicalAddress('fe80::1%lo0')).toEqual({ address: 'fe80::1', family: 6 });
    expect(canonicalAddress('2001:db8::1')).toEqual({ address: '2001:db8::1', family: 6 });
    expect(canonicalAddress('example.com')).toBeUndefined();
  });

  it('hostOf reads the host of an address', () => {
    expect(hostOf('localhost:7233')).toBe('localhost');
    expect(hostOf('[::1]:7233')).toBe('::1');
    expect(hostOf('::1')).toBe('::1');
    expect(hostOf('Temporal.example:7233')).toBe('temporal.example');
  });

  it('the reason a refused dispatch carries names no address', () => {
    expect(EGRESS_REFUSED_REASON).toBe('the target address is not allowed by the egress policy');
  });
});
