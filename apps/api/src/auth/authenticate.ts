import { apiKeyRefused, isApiKeyToken } from '@appointments/domain';
import type { Repositories } from '@appointments/db';
import { validateApiKey, type KeyAuthenticated } from './api-keys.ts';
import { validateSessionToken, type SignedIn } from './sessions.ts';

/** Who a bearer token stands for: a signed-in user, or an API key. */
export type Authenticated = SignedIn | KeyAuthenticated;

/** Validates a bearer token: an API key by its marker, anything else as a session token. */
export function authenticateToken(repos: Repositories, token: string, now: Date, sessionLifetimeMs: number): Promise<Authenticated> {
  return isApiKeyToken(token) ? validateApiKey(repos, token, now) : validateSessionToken(repos, token, now, sessionLifetimeMs);
}

/** The signed-in user behind a request; an API key is refused (AUTH.FORBIDDEN): it does not act as a person. */
export function signedIn(auth: Authenticated): SignedIn {
  if (auth.apiKey) throw apiKeyRefused();
  return auth;
}
