/**
 * Where to send the browser after signing in: a path on the ledger itself. Anything that would
 * leave it (`https://evil.example`, `//evil.example`, `/\evil.example`, `javascript:`) becomes `/`,
 * so the sign-in cannot be used as an open redirect.
 */
export function localReturnPath(requested: string | undefined): string {
  if (!requested || !requested.startsWith('/') || requested.startsWith('//') || requested.includes('\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(requested)) return '/';
  const base = new URL('http://ledger.invalid');
  const resolved = new URL(requested, base);
  if (resolved.origin !== base.origin) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
