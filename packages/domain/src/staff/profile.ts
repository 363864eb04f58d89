import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { writtenText } from '../text/written.ts';

/**
 * A staff member as the public directory shows them: who they are and what they offer, never their
 * email, role flags or counters. Only active staff members have one.
 */
export interface StaffProfile {
  readonly id: number;
  readonly fullName: string;
  readonly timezone: string;
  readonly title: string | null;
  readonly bio: string | null;
  /** The active services they offer, ascending. */
  readonly serviceIds: readonly number[];
}

export const staffTitleSchema = writtenText(z.string().trim().max(200), 'Title', 'one');
export const staffBioSchema = writtenText(z.string().trim().max(5000), 'Bio', 'many');

/** Throws STAFF.NOT_FOUND unless the directory lists `id`: unknown ids, clients, admins and inactive staff alike. */
export function assertListedStaff(profile: StaffProfile | null, id: number): asserts profile is StaffProfile {
  if (!profile) throw new DomainError('STAFF.NOT_FOUND', `Staff member ${id} not found`);
}
