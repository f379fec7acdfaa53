/**
 * Connection settings come from the environment in one place and default to the embedded dev server (E3).
 */
import {
  DEFAULT_ADDRESS,
  DEFAULT_NAMESPACE,
  DEFAULT_TASK_QUEUE,
  isLocalAddress,
  loadSettings,
  SettingsError,
  DEFAULT_DISPATCH_RETRY,
  parseTokens,
} from '../../../src/config';

test('an empty environment means the embedded dev server', () => {
  const settings = loadSettings({});
  expect(settings).toMatchObject({
    address: DEFAULT_ADDRESS,
    namespace: DEFAULT_NAMESPACE,
    taskQueue: DEFAULT_TASK_QUEUE,
  });
  expect(settings.address).toBe('localhost:7233');
  expect(settings.tls).toBeUndefined();
  expect(settings.dispatchRetry).toEqual(DEFAULT_DISPATCH_RETRY);
});

test('a cluster needs only an address, namespace and TLS settings', () => {
  const settings = loadSettings({
    TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'ns.acct',
    TEMPORAL_TLS_CERT: '/certs/client.pem',
    TEMPORAL_TLS_KEY: '/certs/client.key',
  });
  expect(settings).toMatchObject({
    address: 'ns.acct.tmprl.cloud:7233',
    namespace: 'ns.acct',
    tls: { clientCertPath: '/certs/client.pem', clientKeyPath: '/certs/client.key' },
  });
  expect(isLocalAddress(settings.address)).toBe(false);
});

test('server TLS without a client certificate is TLS, never a silent fall back to plaintext', () => {
  expect(
    loadSettings({
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_TLS_CA: '/etc/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example',
    }).tls,
  ).toEqual({ serverRootCaPath: '/etc/ca.pem', serverNameOverride: 'temporal.example' });
  expect(loadSettings({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_TLS: 'true' }).tls).toEqual({});
  expect(loadSettings({ TEMPORAL_TLS: 'false' }).tls).toBeUndefined();
});

test('TEMPORAL_TLS takes true or false, and false does not go with TLS files', () => {
  expect(() => loadSettings({ TEMPORAL_TLS: 'yes' })).toThrow(
    new SettingsError('TEMPORAL_TLS must be true or false, got "yes"'),
  );
  expect(() => loadSettings({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: '/etc/ca.pem' })).toThrow(
    new SettingsError(
      'TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CERT, TEMPORAL_TLS_CA or TEMPORAL_TLS_SERVER_NAME',
    ),
  );
});

test('a certificate without its key is refused, naming both variables', () => {
  expect(() => loadSettings({ TEMPORAL_TLS_CERT: '/c.pem' })).toThrow(
    new SettingsError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be given together'),
  );
});

test('the dispatch retry policy is configurable and malformed numbers name their variable', () => {
  expect(
    loadSettings({ RUNBOOK_DISPATCH_MAX_ATTEMPTS: '3', RUNBOOK_DISPATCH_INITIAL_INTERVAL_MS: '250' })
      .dispatchRetry,
  ).toEqual({
    ...DEFAULT_DISPATCH_RETRY,
    maximumAttempts: 3,
    initialIntervalMs: 250,
  });
  expect(() => loadSettings({ RUNBOOK_DISPATCH_MAX_ATTEMPTS: 'many' })).toThrow(
    'RUNBOOK_DISPATCH_MAX_ATTEMPTS must be a number >= 1, got "many"',
  );
});

test.each([
  ['localhost:7233', true],
  ['127.0.0.1:7233', true],
  ['[::1]:7233', true],
  ['temporal.internal:7233', false],
])('isLocalAddress(%s) is %s', (address, local) => {
  expect(isLocalAddress(address)).toBe(local);
});

test('the HTTP API, demo and log settings have defaults and name their variable when malformed', () => {
  const settings = loadSettings({});
  expect(settings).toMatchObject({ httpPort: 8080, httpHost: '127.0.0.1', demoPort: 8090, logLevel: 'INFO' });
  expect(settings.apiTokens).toBeUndefined();
  expect(settings.solution).toBeUndefined();
  expect(
    loadSettings({
      RUNBOOK_SCHEDULER_HTTP_PORT: '0',
      RUNBOOK_SCHEDULER_LOG_LEVEL: 'debug',
      RUNBOOK_SCHEDULER_SOLUTION: 'acme',
    }),
  ).toMatchObject({ httpPort: 0, logLevel: 'DEBUG', solution: 'acme' });
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_HTTP_PORT: '80a' })).toThrow(
    new SettingsError('RUNBOOK_SCHEDULER_HTTP_PORT must be a port number from 0 to 65535, got "80a"'),
  );
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_DEMO_PORT: '70000' })).toThrow(
    'RUNBOOK_SCHEDULER_DEMO_PORT must be a port number from 0 to 65535, got "70000"',
  );
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_LOG_LEVEL: 'loud' })).toThrow(
    'RUNBOOK_SCHEDULER_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, got "loud"',
  );
});

test('API tokens map each token to its principal; a malformed entry is named by position, not by value', () => {
  expect(loadSettings({ RUNBOOK_SCHEDULER_API_TOKENS: 'abc=acme, def=globex' }).apiTokens).toEqual(
    new Map([
      ['abc', { solution: 'acme', user: 'api', roles: [] }],
      ['def', { solution: 'globex', user: 'api', roles: [] }],
    ]),
  );
  expect(parseTokens('t1=a,t2=b=c,t3=acme:alice@example.com:ServiceAdministrator+IntegrationAuthor')).toEqual(
    new Map([
      ['t1', { solution: 'a', user: 'api', roles: [] }],
      ['t2', { solution: 'b=c', user: 'api', roles: [] }],
      [
        't3',
        { solution: 'acme', user: 'alice@example.com', roles: ['ServiceAdministrator', 'IntegrationAuthor'] },
      ],
    ]),
  );
  const errorOf = (text: string): Error | undefined => {
    try {
      loadSettings({ RUNBOOK_SCHEDULER_API_TOKENS: text });
    } catch (err) {
      return err as Error;
    }
    return undefined;
  };
  const malformed = errorOf('abc=acme,sk_secret_token');
  expect(malformed).toEqual(
    new SettingsError('RUNBOOK_SCHEDULER_API_TOKENS entry 2 must be token=solution[:user[:Role+Role]]'),
  );
  expect(malformed?.message).not.toContain('sk_secret_token');
  expect(errorOf('sk_secret=acme:bob:Admin')).toEqual(
    new SettingsError(
      'RUNBOOK_SCHEDULER_API_TOKENS entry 1 names an unknown role "Admin" (roles: ServiceAdministrator, IntegrationAuthor)',
    ),
  );
  expect(errorOf('sk_secret=acme:bob:IntegrationAuthor:extra')?.message).toBe(
    'RUNBOOK_SCHEDULER_API_TOKENS entry 1 must be token=solution[:user[:Role+Role]]',
  );
  expect(errorOf('sk_secret=:bob')?.message).toBe(
    'RUNBOOK_SCHEDULER_API_TOKENS entry 1 must be token=solution[:user[:Role+Role]]',
  );
});

test("the CLI's user and roles: cli with none by default, else the settings' own", () => {
  const defaults = loadSettings({});
  expect([defaults.user, defaults.roles]).toEqual(['cli', []]);
  const set = loadSettings({
    RUNBOOK_SCHEDULER_USER: 'ops@acme',
    RUNBOOK_SCHEDULER_ROLES: 'ServiceAdministrator',
  });
  expect([set.user, set.roles]).toEqual(['ops@acme', ['ServiceAdministrator']]);
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_ROLES: 'Root' })).toThrow(
    new SettingsError(
      'RUNBOOK_SCHEDULER_ROLES names an unknown role "Root" (roles: ServiceAdministrator, IntegrationAuthor)',
    ),
  );
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_USER: 'a'.repeat(129) })).toThrow(
    new SettingsError('RUNBOOK_SCHEDULER_USER must be 1 to 128 printable characters'),
  );
});

test('tenant-safety settings: workflow targets, egress ranges, codec keys, rate limit and quota', () => {
  const none = loadSettings({});
  expect(none.workflowTargets.size).toBe(0);
  expect(none.egressAllow).toEqual([]);
  expect(none.codecKeys).toEqual([]);
  expect(none).toMatchObject({ rateLimitPerMinute: 600, scheduleQuota: 1000, temporalUiPort: 8233 });
  const key = Buffer.alloc(32, 7);
  const settings = loadSettings({
    RUNBOOK_SCHEDULER_WORKFLOW_TARGETS: '{"acme":[{"taskQueue":"acme-runbooks","workflowTypes":["deploy"]}]}',
    RUNBOOK_SCHEDULER_EGRESS_ALLOW: '10.20.0.0/16, ::1/128,127.0.0.1',
    RUNBOOK_SCHEDULER_CODEC_KEYS: `k2:${key.toString('base64')}`,
    RUNBOOK_SCHEDULER_RATE_LIMIT: '30',
    RUNBOOK_SCHEDULER_SCHEDULE_QUOTA: '5',
  });
  expect(settings.workflowTargets.get('acme')).toEqual([
    { taskQueue: 'acme-runbooks', workflowTypes: ['deploy'] },
  ]);
  expect(settings.egressAllow).toEqual(['10.20.0.0/16', '::1/128', '127.0.0.1']);
  expect(settings.codecKeys).toEqual([{ id: 'k2', key }]);
  expect(settings).toMatchObject({ rateLimitPerMinute: 30, scheduleQuota: 5 });
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_WORKFLOW_TARGETS: '{"acme":[{}]}' })).toThrow(
    'RUNBOOK_SCHEDULER_WORKFLOW_TARGETS: "acme" entry 1 needs a taskQueue',
  );
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_EGRESS_ALLOW: '10.0.0.0/33' })).toThrow(
    'RUNBOOK_SCHEDULER_EGRESS_ALLOW entry "10.0.0.0/33" must be an address range such as 10.0.0.0/8 or ::1/128',
  );
  expect(() => loadSettings({ RUNBOOK_SCHEDULER_CODEC_KEYS: 'k1:c2hvcnQ=' })).toThrow(
    'RUNBOOK_SCHEDULER_CODEC_KEYS entry 1 must be <id>:<base64 of 32 random bytes>',
  );
});
