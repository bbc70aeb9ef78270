/** The path of a request's URL without its query string (`/alliances/a/events` of `/alliances/a/events?limit=5`). */
export function requestPath(request: { url?: string }): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
