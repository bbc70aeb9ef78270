import { redactedUrl } from './logged-url';

describe('redactedUrl', () => {
  it('hides a sign-in link’s token and an OpenID callback’s code and state', () => {
    expect(redactedUrl('/auth/login-link?token=eyJhbGciOi.secret.sig')).toBe('/auth/login-link?token=[redacted]');
    expect(redactedUrl('/auth/callback?code=abc123&state=xyz&iss=https%3A%2F%2Fidp')).toBe('/auth/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fidp');
  });

  it('finds the names however they are written', () => {
    expect(redactedUrl('/auth/login-link?%74oken=secret')).toBe('/auth/login-link?%74oken=[redacted]');
    expect(redactedUrl('/x?TOKEN=secret&a=1')).toBe('/x?TOKEN=[redacted]&a=1');
    expect(redactedUrl('/x?a=1&token')).toBe('/x?a=1&token=[redacted]');
    expect(redactedUrl('/x?%E0%A4%A=1&token=s')).toBe('/x?%E0%A4%A=1&token=[redacted]');
  });

  it('leaves everything else as it was', () => {
    expect(redactedUrl('/alliances/sma/events?type=A,B&limit=50')).toBe('/alliances/sma/events?type=A,B&limit=50');
    expect(redactedUrl('/alliances/sma')).toBe('/alliances/sma');
    expect(redactedUrl('/x?tokens=1&mytoken=2#token=3')).toBe('/x?tokens=1&mytoken=2#token=3');
  });
});
