import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/outputs/rate-limit.js';

test('per-rule token buckets refill at the rate and count what they suppress', () => {
  let now = 0;
  const limiter = new RateLimiter(2, 3, () => now);
  const results = Array.from({ length: 5 }, () => limiter.allow('A'));
  assert.deepEqual(results, [true, true, true, false, false]);
  assert.equal(limiter.allow('B'), true, 'buckets are per rule');
  now = 500; // half a second at 2/s: one token
  assert.deepEqual([limiter.allow('A'), limiter.allow('A')], [true, false]);
  assert.deepEqual(limiter.suppressed(), { A: 3 });
});
