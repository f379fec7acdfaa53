/**
 * Authentication defaults (issue 9, item 8): without configured tokens only the demo token works, and only on
 * loopback; binding the API beyond loopback without tokens refuses to start.
 */
import { apiTokensFor, DEMO_PRINCIPAL, DEMO_SOLUTION, DEMO_TOKEN, principalOf } from '../../../src/api/auth';
import { parseTokens, SettingsError } from '../../../src/config';
import { Role } from '../../../src/principal';

test('configured tokens are the only ones, wherever the API binds', () => {
  const apiTokens = parseTokens('t-acme=acme');
  expect(apiTokensFor({ apiTokens, httpHost: '0.0.0.0' })).toBe(apiTokens);
  expect(
    principalOf(apiTokensFor({ apiTokens, httpHost: '127.0.0.1' }), `Bearer ${DEMO_TOKEN}`),
  ).toBeUndefined();
});

test('no tokens on loopback: the demo token, the user demo of the demo solution with every role', () => {
  for (const httpHost of ['127.0.0.1', 'localhost', '::1']) {
    expect(principalOf(apiTokensFor({ httpHost }), `Bearer ${DEMO_TOKEN}`)).toEqual(DEMO_PRINCIPAL);
  }
  expect(DEMO_PRINCIPAL).toEqual({
    solution: DEMO_SOLUTION,
    user: 'demo',
    roles: [Role.ServiceAdministrator, Role.IntegrationAuthor],
  });
});

test('a token stands for its principal: solution, user and roles; an unknown or missing token for none', () => {
  const tokens = parseTokens('t-alice=acme:alice:IntegrationAuthor,t-bob=acme:bob,t-plain=globex');
  expect(principalOf(tokens, 'Bearer t-alice')).toEqual({
    solution: 'acme',
    user: 'alice',
    roles: [Role.IntegrationAuthor],
  });
  expect(principalOf(tokens, 'Bearer t-bob')).toEqual({ solution: 'acme', user: 'bob', roles: [] });
  expect(principalOf(tokens, 'Bearer t-plain')).toEqual({ solution: 'globex', user: 'api', roles: [] });
  expect(principalOf(tokens, 'Bearer t-nobody')).toBeUndefined();
  expect(principalOf(tokens, 't-alice')).toBeUndefined();
  expect(principalOf(tokens, undefined)).toBeUndefined();
});

test('no tokens beyond loopback: refused, naming the variable', () => {
  for (const httpHost of ['0.0.0.0', '::', '10.0.0.5', 'scheduler.internal']) {
    expect(() => apiTokensFor({ httpHost })).toThrow(
      new SettingsError(
        `RUNBOOK_SCHEDULER_API_TOKENS is required when the HTTP API binds to ${httpHost} (beyond loopback)`,
      ),
    );
  }
});
