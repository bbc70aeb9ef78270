import { createHmac } from 'node:crypto';
import { retryDelayMs, signDelivery, verifyDelivery } from './webhook-rules';

describe('webhook signatures', () => {
  it('are HMAC-SHA256 over the timestamp and the body, as a receiver would compute them', () => {
    const expected = createHmac('sha256', 'k3y').update('1767225600.{"a":1}').digest('hex');
    expect(signDelivery('k3y', 1767225600, '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('verify only the same secret, timestamp and body', () => {
    const signature = signDelivery('k3y', 100, 'body');
    expect(verifyDelivery('k3y', 100, 'body', signature)).toBe(true);
    expect(verifyDelivery('other', 100, 'body', signature)).toBe(false);
    expect(verifyDelivery('k3y', 101, 'body', signature)).toBe(false);
    expect(verifyDelivery('k3y', 100, 'bodY', signature)).toBe(false);
    expect(verifyDelivery('k3y', 100, 'body', 'sha256=00')).toBe(false);
  });
});

describe('retry back-off', () => {
  it('doubles from the base after each failure, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((failed) => retryDelayMs(failed, 1000, 10_000, 0))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryDelayMs(1000, 1000, 300_000, 0)).toBe(300_000);
  });

  it('takes at most a fifth off at random, never adding to the wait', () => {
    expect(retryDelayMs(3, 1000, 60_000, 0.999)).toBeGreaterThan(3200);
    expect(retryDelayMs(3, 1000, 60_000, 0.999)).toBeLessThanOrEqual(4000);
  });
});
