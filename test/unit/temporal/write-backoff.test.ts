import {
  pauseAfterLostWrite,
  writeBackoffCeilingMs,
  WRITE_BACKOFF_BASE_MS,
  WRITE_BACKOFF_CAP_MS,
} from '../../../src/temporal/write-backoff';
import { changesBefore } from '../../../src/temporal/schedule-writes';

describe('the pause after a lost schedule write', () => {
  test('its ceiling doubles with each lost attempt, from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map(writeBackoffCeilingMs)).toEqual([20, 40, 80, 160, 320, 640]);
    expect(writeBackoffCeilingMs(7)).toBe(WRITE_BACKOFF_CAP_MS);
    expect(writeBackoffCeilingMs(20)).toBe(WRITE_BACKOFF_CAP_MS);
    expect(writeBackoffCeilingMs(0)).toBe(WRITE_BACKOFF_BASE_MS);
  });

  test('waits a random share of the ceiling', async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      const pause = pauseAfterLostWrite(3, () => 0.5).then(() => (done = true));
      await jest.advanceTimersByTimeAsync(39);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await pause;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('the changes a schedule had taken, from its conflict token', () => {
  const token = (bytes: number[]) => Uint8Array.from(bytes);

  test('reads the workflow-backed scheduler big-endian token and the CHASM scheduler little-endian one', () => {
    expect(changesBefore(token([0, 0, 0, 0, 0, 0, 0, 1]))).toBe(0);
    expect(changesBefore(token([1, 0, 0, 0, 0, 0, 0, 0]))).toBe(0);
    expect(changesBefore(token([0, 0, 0, 0, 0, 0, 1, 4]))).toBe(259);
    expect(changesBefore(token([4, 1, 0, 0, 0, 0, 0, 0]))).toBe(259);
  });

  test('is unknown for a token of another form', () => {
    expect(changesBefore(undefined)).toBeUndefined();
    expect(changesBefore(token([1, 2, 3]))).toBeUndefined();
  });
});
