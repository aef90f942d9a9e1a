/**
 * Atomics.waitAsync (V8 ≥ 8.7, so Node 20) is missing from TypeScript's ES2023 lib: typed here
 * once. Resolves when `index` is notified, its value is no longer `value`, or after `timeoutMs`.
 */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

const waitAsyncImpl = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export async function waitForChange(array: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const result = waitAsyncImpl(array, index, value, timeoutMs);
  if (result.async) await result.value;
}
