/** The path of a request's URL without its query string (`/alliances/a/events` of `/alliances/a/events?limit=5`). */
export function requestPath(request: { url?: string }): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * The path as the router read it, for deciding what kind of request this is: the matched route's
 * own pattern (`/ui/alliances/:allianceId`), or, where no route matched, the path percent-decoded
 * and in lower case. The router decodes `%75i` and ignores letter case, so the raw path of a page
 * need not start with `/ui/`.
 */
export function routedPath(request: { url?: string; routeOptions?: { url?: string } }): string {
  const route = request.routeOptions?.url;
  if (route) return route;
  const path = requestPath(request);
  try {
    return decodeURIComponent(path).toLowerCase();
  } catch {
    return path.toLowerCase();
  }
}
