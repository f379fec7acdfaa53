/** How a runbook's HTTP answer is judged and recorded (FEATURES.md A4). */
import { classifyHttpStatus, dispatchFailureMessage, HttpVerdict } from '../../../src/dispatch/outcome';

describe('classifyHttpStatus', () => {
  it.each([200, 201, 202, 204, 299])('%i is a success', (status) => {
    expect(classifyHttpStatus(status)).toBe(HttpVerdict.Success);
  });

  it.each([500, 502, 503, 504, 599, 429])('%i is retried', (status) => {
    expect(classifyHttpStatus(status)).toBe(HttpVerdict.Retry);
  });

  it.each([400, 401, 403, 404, 409, 410, 422, 428, 431, 499, 300, 301, 302, 303, 307, 308, 100, 199])(
    '%i fails without retry',
    (status) => {
      expect(classifyHttpStatus(status)).toBe(HttpVerdict.Fail);
    },
  );
});

describe('dispatchFailureMessage', () => {
  it('names the HTTP status exactly', () => {
    expect(dispatchFailureMessage(404)).toBe('Runbook execution failed with status 404');
    expect(dispatchFailureMessage(302)).toBe('Runbook execution failed with status 302');
  });

  it('says unreachable when no HTTP answer came', () => {
    expect(dispatchFailureMessage('unreachable')).toBe('Runbook execution failed with status unreachable');
  });

  it('says refused when the platform would not send it (egress policy, credentials, headers)', () => {
    expect(dispatchFailureMessage('refused')).toBe('Runbook execution failed with status refused');
  });
});
