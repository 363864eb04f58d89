import type { BookingSetup, Database, Repositories } from '@appointments/db';
import type { Services } from '../context.ts';
import type { Caller } from './trust.ts';

/** What a booking (or a move) needs besides its request: where to write, the settings, and the time. */
export interface BookingDeps {
  readonly db: Database;
  readonly repos: Repositories;
  readonly settings: Services['settings'];
  readonly now: Date;
}

/** Judges booking with one staff member, given the caller and that staff member's setup: what to write, or a DomainError. */
export type StaffJudge<Decided> = (staffId: number) => (user: Caller['user'], setup: BookingSetup) => Promise<Decided>;
