/**
 * The origin form (`/path?query`) of a request target, whatever form it came in (RFC 9112 §3.2):
 * origin form as is, absolute form (`http://host/path`, which servers must accept) reduced to its
 * path and query. The asterisk form, the authority form and anything unparsable give undefined:
 * nothing past this point ever sees a target that is not a path.
 */
export function originForm(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  const url = URL.parse(target);
  return url?.hostname ? url.pathname + url.search : undefined;
}

/** Paths that carry a secret (an emailed link's token) as their last segment. */
const TOKEN_PATH = /^(\/api\/v1\/auth\/(?:password-reset|verify-email)\/)(?!confirm$)[^/]+$/;

/** A request's path as logs may keep it: no query string, no link token (either may grant an account). */
export function loggedPath(url: string | undefined): string | undefined {
  return url?.split('?')[0]?.replace(TOKEN_PATH, '$1{token}');
}
