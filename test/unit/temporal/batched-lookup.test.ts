/** Group commit: one lookup at a time; the keys asked meanwhile go together in the next. */
import { BatchedLookup } from '../../../src/temporal/batched-lookup';

/** A lookup whose calls are recorded and answered when the test says. */
function controlledLookup() {
  const calls: {
    keys: readonly string[];
    answer: (results: readonly string[]) => void;
    fail: (e: Error) => void;
  }[] = [];
  const lookup = (keys: readonly string[]) =>
    new Promise<readonly string[]>((answer, fail) => calls.push({ keys, answer, fail }));
  return { calls, lookup };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('the first key is looked up at once, and the keys asked while it is in flight go together next', async () => {
  const { calls, lookup } = controlledLookup();
  const batched = new BatchedLookup(lookup);
  const first = batched.get('a');
  await tick();
  expect(calls.map((c) => c.keys)).toEqual([['a']]);
  const later = ['b', 'c', 'd'].map((k) => batched.get(k));
  await tick();
  expect(calls).toHaveLength(1);
  calls[0]!.answer(['A']);
  await expect(first).resolves.toBe('A');
  await tick();
  expect(calls.map((c) => c.keys)).toEqual([['a'], ['b', 'c', 'd']]);
  calls[1]!.answer(['B', 'C', 'D']);
  await expect(Promise.all(later)).resolves.toEqual(['B', 'C', 'D']);
});

test('a batch takes at most the limit, the rest go in the next', async () => {
  const { calls, lookup } = controlledLookup();
  const batched = new BatchedLookup(lookup, 2);
  const first = batched.get('a');
  const rest = ['b', 'c', 'd'].map((k) => batched.get(k));
  await tick();
  calls[0]!.answer(['A']);
  await first;
  await tick();
  expect(calls[1]!.keys).toEqual(['b', 'c']);
  calls[1]!.answer(['B', 'C']);
  await tick();
  expect(calls[2]!.keys).toEqual(['d']);
  calls[2]!.answer(['D']);
  await expect(Promise.all(rest)).resolves.toEqual(['B', 'C', 'D']);
});

test('a failed lookup rejects its own callers only; the next batch is looked up as usual', async () => {
  const { calls, lookup } = controlledLookup();
  const batched = new BatchedLookup(lookup);
  const first = batched.get('a');
  await tick();
  const second = batched.get('b');
  calls[0]!.fail(new Error('visibility unavailable'));
  await expect(first).rejects.toThrow('visibility unavailable');
  await tick();
  calls[1]!.answer(['B']);
  await expect(second).resolves.toBe('B');
});

test('a lookup that answers the wrong number of results rejects its callers rather than mismatch them', async () => {
  const batched = new BatchedLookup((keys: readonly string[]) => Promise.resolve(keys.slice(1)));
  await expect(batched.get('a')).rejects.toThrow('A batched lookup answered 0 results for 1 keys');
});
