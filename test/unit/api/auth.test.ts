/**
 * Authentication defaults (issue 9, item 8): without configured tokens only the demo token works, and only on
 * loopback; binding the API beyond loopback without tokens refuses to start.
 */
import { apiTokensFor, DEMO_SOLUTION, DEMO_TOKEN, solutionOf } from '../../../src/api/auth';
import { SettingsError } from '../../../src/config';

test('configured tokens are the only ones, wherever the API binds', () => {
  const apiTokens = new Map([['t-acme', 'acme']]);
  expect(apiTokensFor({ apiTokens, httpHost: '0.0.0.0' })).toBe(apiTokens);
  expect(
    solutionOf(apiTokensFor({ apiTokens, httpHost: '127.0.0.1' }), `Bearer ${DEMO_TOKEN}`),
  ).toBeUndefined();
});

test('no tokens on loopback: the demo token of the demo solution', () => {
  for (const httpHost of ['127.0.0.1', 'localhost', '::1']) {
    expect(solutionOf(apiTokensFor({ httpHost }), `Bearer ${DEMO_TOKEN}`)).toBe(DEMO_SOLUTION);
  }
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
