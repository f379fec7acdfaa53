import { credentialPath } from '../../../src/nodes/credentials';

describe('credentials in a scheduled service (D5)', () => {
  test.each([
    [{ runbook_uuid: 'u', request_body: { password: 'x' } }, 'service.request_body.password'],
    [{ request_body: { db: { DB_Password: 'x' } } }, 'service.request_body.db.DB_Password'],
    [{ request_body: { 'x-api-key': 'k' } }, 'service.request_body.x-api-key'],
    [{ request_body: { github_token: 'k' } }, 'service.request_body.github_token'],
    [
      { request_body: { hooks: ['https://ok.example/', 'https://user:pw@example.com/'] } },
      'service.request_body.hooks[1]',
    ],
    [{ request_body: { header: 'Bearer abc' } }, 'service.request_body.header'],
    [{ request_body: { auth: { Authorization: 'x' } } }, 'service.request_body.auth.Authorization'],
  ])('%j carries a credential at %s', (service, path) => {
    expect(credentialPath(service, 'service')).toBe(path);
  });

  test.each([
    [
      {
        runbook_uuid: 'u',
        request_body: { tenant_id: '42', url: 'https://example.com/a@b', note: 'bearer of news' },
      },
    ],
    [{ request_body: { tokens_used: 3, passed: true } }],
    [{}],
  ])('%j carries none', (service) => {
    expect(credentialPath(service, 'service')).toBeUndefined();
  });
});
