import { API_KEY_MARKER, apiKeyActor, apiKeyPrefix, assertFutureExpiry, assertUsableApiKey, lastUseCutoff, type ApiKey, type ApiKeyActor, type ApiKeyScope } from '@appointments/domain';
import type { Repositories } from '@appointments/db';
import { generateToken, hashToken } from './tokens.ts';

/** A request made with an API key: the key's actor, and the key (its scopes). */
export interface KeyAuthenticated {
  readonly user: ApiKeyActor;
  readonly apiKey: ApiKey;
  readonly session?: undefined;
}

export interface NewKeyFields {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expiresAt: Date | null;
}

/** A new key, handed out once: only its hash and its prefix are stored, like a session token's hash. */
export async function createApiKey(repos: Repositories, fields: NewKeyFields, createdBy: number, now: Date): Promise<{ key: string; apiKey: ApiKey }> {
  assertFutureExpiry(fields.expiresAt, now);
  const key = `${API_KEY_MARKER}${generateToken()}`;
  const apiKey = await repos.apiKeys.create({ ...fields, prefix: apiKeyPrefix(key), keyHash: hashToken(key), createdBy, createdAt: now });
  return { key, apiKey };
}

/**
 * The key behind a token, looked up by its hash on every request: no process trusts a key from
 * memory, so a revocation holds at once everywhere. Its use is recorded at most once a minute.
 */
export async function validateApiKey(repos: Repositories, token: string, now: Date): Promise<KeyAuthenticated> {
  const apiKey = await repos.apiKeys.findByHash(hashToken(token));
  assertUsableApiKey(apiKey, now);
  const cutoff = lastUseCutoff(apiKey.lastUsedAt, now);
  if (cutoff) await repos.apiKeys.recordUse(apiKey.id, now, cutoff);
  return { user: apiKeyActor(apiKey), apiKey };
}
