import { BearerVerifier, VerifiedTokenCache } from './token-verifier';
import { Principal } from './principal';

const principal: Principal = { subject: 'jo', name: null, admin: false, via: 'bearer' };
const tokenExpiringAt = (seconds: number) => `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'jo', exp: seconds })).toString('base64url')}.sig`;

function counting(): BearerVerifier & { calls: string[] } {
  const calls: string[] = [];
  return {
    issuer: 'test',
    calls,
    async verify(token: string) {
      calls.push(token);
      if (token.endsWith('bad')) throw new Error('refused');
      return principal;
    },
  };
}

describe('verified token cache', () => {
  it('verifies a token once, then answers from the cache until it expires', async () => {
    let now = 1_000_000;
    const inner = counting();
    const cache = new VerifiedTokenCache(inner, 10, 5 * 60_000, () => now);
    const token = tokenExpiringAt(now / 1000 + 60);
    await cache.verify(token);
    await cache.verify(token);
    expect(inner.calls).toHaveLength(1);
    now += 61_000;
    await cache.verify(token);
    expect(inner.calls).toHaveLength(2);
  });

  it('never caches a refusal, and checks any other byte string afresh', async () => {
    const inner = counting();
    const cache = new VerifiedTokenCache(inner);
    const token = tokenExpiringAt(Date.now() / 1000 + 60);
    await expect(cache.verify(`${token}bad`)).rejects.toThrow('refused');
    await expect(cache.verify(`${token}bad`)).rejects.toThrow('refused');
    await cache.verify(token);
    await cache.verify(`${token}x`);
    expect(inner.calls).toEqual([`${token}bad`, `${token}bad`, token, `${token}x`]);
  });

  it('keeps at most its capacity, dropping the oldest', async () => {
    const inner = counting();
    const cache = new VerifiedTokenCache(inner, 2);
    const [a, b, c] = [1, 2, 3].map((n) => tokenExpiringAt(Date.now() / 1000 + 60 + n));
    for (const token of [a, b, c, a]) await cache.verify(token);
    expect(inner.calls).toEqual([a, b, c, a]);
  });
});
