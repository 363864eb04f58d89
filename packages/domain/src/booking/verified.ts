import { DomainError } from '../errors.ts';
import type { User } from '../users/user.ts';

/**
 * REQUIRE_VERIFIED_EMAIL: a client booking for themselves must have proved their address first.
 * Bookings an admin or an API key makes for a client are theirs to vouch for.
 */
export function assertVerifiedToBook(booker: Pick<User, 'role'> & Partial<Pick<User, 'emailVerified'>>, requireVerified: boolean): void {
  if (requireVerified && booker.role === 'client' && booker.emailVerified !== true) {
    throw new DomainError('AUTH.EMAIL_NOT_VERIFIED', 'Confirm your email address before booking (POST /api/v1/auth/verify-email sends a new link)');
  }
}
