import type { Role } from '../users/user.ts';

/** A signed-in user as a request's actor; a User is one as it is. */
export interface UserActor {
  readonly id: number;
  readonly role: Role;
  readonly fullName: string;
  readonly timezone: string;
  readonly apiKeyId?: undefined;
}

/**
 * An API key as a request's actor: an admin's reach (limited by its scopes where the API checks
 * them), and no user behind it, so no user id; history records the key's own id instead.
 */
export interface ApiKeyActor {
  readonly id: null;
  readonly role: 'admin';
  /** The key's name: who history and emails say acted. */
  readonly fullName: string;
  readonly timezone: string;
  readonly apiKeyId: number;
}

/** Who acts on a request: a user or an API key. */
export type Actor = UserActor | ApiKeyActor;

/**
 * What permission rules look at: who (a user's id, null for a key) and the role. A union, so a
 * rule that has ruled out admins knows the actor is a user with an id.
 */
export type ActorRef = Pick<UserActor, 'id' | 'role'> | Pick<ApiKeyActor, 'id' | 'role'>;

/** Who a history entry says acted: a user, an API key, or (both null) the system. */
export interface ActedBy {
  readonly actorId: number | null;
  readonly actorApiKeyId: number | null;
}

export function actedBy(actor: Pick<Actor, 'id' | 'apiKeyId'>): ActedBy {
  return { actorId: actor.id, actorApiKeyId: actor.apiKeyId ?? null };
}
