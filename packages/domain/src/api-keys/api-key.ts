import type { ApiKeyActor } from '../auth/actor.ts';
import { DomainError } from '../errors.ts';
import type { ApiKeyScope } from './scopes.ts';

/**
 * An API key as stored: never the key itself (only its SHA-256 is kept), but the first characters
 * of it (`prefix`), so people can tell their keys apart. A revoked key stays, for the history
 * entries that name it.
 */
export interface ApiKey {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The admin who created it. */
  readonly createdBy: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** What starts every API key, so a bearer token is told apart from a session token (base32, no `_`) by its first characters. */
export const API_KEY_MARKER = 'apk_';
/** How much of a key its `prefix` keeps: the marker and 8 characters (40 of its 160 random bits). */
export const API_KEY_PREFIX_LENGTH = 12;

export const isApiKeyToken = (token: string): boolean => token.startsWith(API_KEY_MARKER);
export const apiKeyPrefix = (key: string): string => key.slice(0, API_KEY_PREFIX_LENGTH);

/** A key being created must not be born expired. */
export function assertFutureExpiry(expiresAt: Date | null, now: Date): void {
  if (expiresAt !== null && expiresAt <= now) throw new DomainError('API_KEY.INVALID', 'expires_at must be in the future');
}

/** Throws AUTH.NOT_AUTHENTICATED, saying why, unless the key behind a token may act at `now`. */
export function assertUsableApiKey(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'> | null, now: Date): asserts key is NonNullable<typeof key> {
  if (!key) throw new DomainError('AUTH.NOT_AUTHENTICATED', 'Invalid API key');
  if (key.revokedAt !== null) throw new DomainError('AUTH.NOT_AUTHENTICATED', 'This API key has been revoked');
  if (key.expiresAt !== null && key.expiresAt <= now) throw new DomainError('AUTH.NOT_AUTHENTICATED', 'This API key has expired');
}

/** A key's actor: an admin's reach, named by the key, with no user id. */
export function apiKeyActor(key: Pick<ApiKey, 'id' | 'name'>): ApiKeyActor {
  return { id: null, role: 'admin', fullName: key.name, timezone: 'UTC', apiKeyId: key.id };
}

/** What a key is told where only a signed-in user may act: managing keys, or acting as a person (their profile, logout, calendar feeds). */
export function apiKeyRefused(): DomainError {
  return new DomainError('AUTH.FORBIDDEN', 'API keys cannot do this; it needs a signed-in user');
}

/** A key may call what its scopes cover; a procedure that names no scope is for signed-in users only. */
export function assertKeyMayCall(scopes: readonly ApiKeyScope[], required: ApiKeyScope | undefined): void {
  if (required === undefined) throw apiKeyRefused();
  if (!scopes.includes(required)) throw new DomainError('AUTH.SCOPE_MISSING', `This API key lacks the scope "${required}"`);
}

/** How stale `last_used_at` may get: it is written at most this often per key, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The time before which a recorded use is stale at `now`, or null when the key's use is recent
 * enough not to record. The write compares with it too, so processes racing on one stale value write once.
 */
export function lastUseCutoff(lastUsedAt: Date | null, now: Date): Date | null {
  const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  return lastUsedAt === null || lastUsedAt < cutoff ? cutoff : null;
}
