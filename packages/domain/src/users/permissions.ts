import { DomainError } from '../errors.ts';
import type { ActorRef } from '../auth/actor.ts';
import type { Role } from './user.ts';

/** Public registration always yields a client; only an admin may create staff or admins. */
export function roleForRegistration(actor: ActorRef | null, requested: Role | undefined): Role {
  const role = requested ?? 'client';
  if (role !== 'client' && actor?.role !== 'admin') {
    throw new DomainError('AUTH.ROLE_REQUIRES_ADMIN', `Only an admin can create a ${role} account`);
  }
  return role;
}

export interface UserChangeRequest {
  readonly fullName?: string | undefined;
  readonly timezone?: string | undefined;
  readonly role?: Role | undefined;
  readonly isActive?: boolean | undefined;
  readonly password?: string | undefined;
}

const ADMIN_ONLY = ['role', 'isActive'] as const;

/**
 * Who may change what: a user edits their own name, zone and password; an admin edits anyone's
 * name, zone, role and active flag. Passwords are only ever changed by their owner, and an admin
 * cannot demote or deactivate themselves (that is how a system loses its last admin).
 */
export function authorizeUserUpdate(actor: ActorRef, targetId: number, changes: UserChangeRequest): void {
  const self = actor.id === targetId;
  if (actor.role !== 'admin') {
    if (!self) throw new DomainError('AUTH.FORBIDDEN', 'You can only change your own account');
    const field = ADMIN_ONLY.find((key) => changes[key] !== undefined);
    if (field) throw new DomainError('USER.FIELD_ADMIN_ONLY', `Only an admin can change ${field === 'isActive' ? 'is_active' : field}`);
    return;
  }
  if (changes.password !== undefined && !self) {
    throw new DomainError('AUTH.FORBIDDEN', "An admin cannot set another user's password");
  }
  if (self && ((changes.role !== undefined && changes.role !== 'admin') || changes.isActive === false)) {
    throw new DomainError('USER.CANNOT_DEMOTE_SELF', 'An admin cannot demote or deactivate their own account');
  }
}
