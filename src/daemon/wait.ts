/**
 * Waits for `promise`, but at most `ms`: shutdown and start-up steps that must not hang on
 * something that may never come (a worker's last notice, a runtime's answer). The timer does not
 * keep the process alive.
 */
export function atMost(promise: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}
