import { describe, expect, it } from 'vitest';
import { actedBy } from '../auth/actor.ts';
import { bookingClientId } from '../scheduling/access.ts';
import { authorizeUserUpdate } from '../users/permissions.ts';
import {
  apiKeyActor,
  apiKeyPrefix,
  assertFutureExpiry,
  assertKeyMayCall,
  assertUsableApiKey,
  isApiKeyToken,
  LAST_USED_RESOLUTION_MS,
  lastUseCutoff,
} from './api-key.ts';
import { API_KEY_SCOPES, apiKeyScopeSchema } from './scopes.ts';

const NOW = new Date('2026-12-01T12:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('API key tokens', () => {
  it('are told apart from session tokens (base32, never an underscore) by their marker', () => {
    expect(isApiKeyToken('apk_abcdefghijklmnopqrstuvwxyz234567')).toBe(true);
    expect(isApiKeyToken('abcdefghijklmnopqrstuvwxyz234567')).toBe(false);
    expect(isApiKeyToken('APK_abc')).toBe(false);
  });

  it('keep their first 12 characters as the prefix lists show', () => {
    expect(apiKeyPrefix('apk_abcdefghijklmnop')).toBe('apk_abcdefgh');
  });
});

describe('scopes', () => {
  it('are the eight the API grants, and nothing else parses', () => {
    expect(API_KEY_SCOPES).toHaveLength(8);
    expect(apiKeyScopeSchema.safeParse('appointments:write').success).toBe(true);
    expect(apiKeyScopeSchema.safeParse('appointments:delete').success).toBe(false);
  });

  it('let a key call what they cover; a missing one is named; no scope at all is for signed-in users', () => {
    expect(() => assertKeyMayCall(['users:read'], 'users:read')).not.toThrow();
    expect(() => assertKeyMayCall(['users:read'], 'users:write')).toThrow(expect.objectContaining({ code: 'AUTH.SCOPE_MISSING', message: expect.stringContaining('"users:write"') }));
    expect(() => assertKeyMayCall([...API_KEY_SCOPES], undefined)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });
});

describe('a key presented', () => {
  const key = { revokedAt: null, expiresAt: null };
  it('acts while neither revoked nor expired', () => {
    expect(() => assertUsableApiKey(key, NOW)).not.toThrow();
    expect(() => assertUsableApiKey({ ...key, expiresAt: later(1) }, NOW)).not.toThrow();
  });

  it.each([
    ['unknown', null, 'Invalid API key'],
    ['revoked', { ...key, revokedAt: later(-1) }, 'This API key has been revoked'],
    ['expired', { ...key, expiresAt: NOW }, 'This API key has expired'],
  ])('%s: 401, saying so', (_label, found, message) => {
    expect(() => assertUsableApiKey(found, NOW)).toThrow(expect.objectContaining({ code: 'AUTH.NOT_AUTHENTICATED', message }));
  });

  it('is created with an expiry in the future or none', () => {
    expect(() => assertFutureExpiry(null, NOW)).not.toThrow();
    expect(() => assertFutureExpiry(later(1000), NOW)).not.toThrow();
    expect(() => assertFutureExpiry(NOW, NOW)).toThrow(expect.objectContaining({ code: 'API_KEY.INVALID' }));
  });
});

describe('last use', () => {
  it('is recorded when never recorded, or older than the resolution; the cutoff is what the write compares with', () => {
    const cutoff = later(-LAST_USED_RESOLUTION_MS);
    expect(lastUseCutoff(null, NOW)).toEqual(cutoff);
    expect(lastUseCutoff(later(-LAST_USED_RESOLUTION_MS - 1), NOW)).toEqual(cutoff);
    expect(lastUseCutoff(later(-LAST_USED_RESOLUTION_MS), NOW)).toBeNull();
    expect(lastUseCutoff(later(-1000), NOW)).toBeNull();
  });
});

describe("a key's actor", () => {
  const actor = apiKeyActor({ id: 7, name: 'Front desk sync' });

  it('is an admin with no user id, named by the key, and history records the key', () => {
    expect(actor).toEqual({ id: null, role: 'admin', fullName: 'Front desk sync', timezone: 'UTC', apiKeyId: 7 });
    expect(actedBy(actor)).toEqual({ actorId: null, actorApiKeyId: 7 });
    expect(actedBy({ id: 3 })).toEqual({ actorId: 3, actorApiKeyId: null });
  });

  it('books only for a named client, and is never anyone\'s "self"', () => {
    expect(() => bookingClientId(actor, undefined)).toThrow(expect.objectContaining({ code: 'APPOINTMENT.CLIENT_REQUIRED' }));
    expect(bookingClientId(actor, 5)).toBe(5);
    expect(() => authorizeUserUpdate(actor, 1, { password: 'secret-123' })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(() => authorizeUserUpdate(actor, 1, { role: 'client', isActive: false })).not.toThrow();
  });
});
