import { createHash } from 'node:crypto';
import { DomainError, type Actor } from '@appointments/domain';
import type { IdempotencyOwner, Repositories } from '@appointments/db';

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** A stable fingerprint of a request body: same fields, same values, any key order. */
export function requestHash(body: unknown): string {
  const canonical = JSON.stringify(body, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/** Whose Idempotency-Keys a request's are: its user's, or its API key's. */
export function idempotencyOwner(actor: Actor): IdempotencyOwner {
  return actor.id === null ? { apiKeyId: actor.apiKeyId } : { userId: actor.id };
}

/** The response stored for this key, if the same request was made before; a different body under the same key is refused. */
export async function replay<T>(repos: Repositories, owner: IdempotencyOwner, key: string, hash: string): Promise<T | undefined> {
  const stored = await repos.idempotency.find(owner, key);
  if (!stored) return undefined;
  if (stored.requestHash !== hash) {
    throw new DomainError('IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was used with a different request body');
  }
  return stored.response as T;
}

export function assertIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY.test(key)) throw new DomainError('VALIDATION.FAILED', 'Idempotency-Key must be 1–255 printable ASCII characters');
}
