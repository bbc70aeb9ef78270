/**
 * Query parameters that are credentials while they last: a sign-in link's token (usable until its
 * confirmation page is pressed) and an OpenID callback's code and state. The request log must
 * not hand them to whoever reads it.
 */
const SECRET_PARAMETERS = new Set(['token', 'code', 'state', 'access_token', 'id_token']);

/**
 * The request URL as the log shows it: each secret parameter's value replaced by `[redacted]`.
 * Names are compared decoded and in any case (`%74oken`, `Token`), since a router may decode them.
 */
export function redactedUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const fragment = url.indexOf('#', query);
  const end = fragment < 0 ? url.length : fragment;
  const parts = url
    .slice(query + 1, end)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const rawName = equals < 0 ? part : part.slice(0, equals);
      return SECRET_PARAMETERS.has(decodedName(rawName).toLowerCase()) ? `${rawName}=[redacted]` : part;
    });
  return `${url.slice(0, query)}?${parts.join('&')}${url.slice(end)}`;
}

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
