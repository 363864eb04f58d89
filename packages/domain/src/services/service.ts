import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { MAX_APPOINTMENT_MINUTES, MAX_BUFFER_MINUTES, type BookingRules, type Instant } from '../scheduling/types.ts';
import { writtenText } from '../text/written.ts';
import type { User } from '../users/user.ts';

/** Seats per occurrence: a one-to-one service has 1, a group class more. */
export const MAX_SERVICE_CAPACITY = 1000;
/** Who offers a service: enough for any team, small enough to check in one query. */
export const MAX_SERVICE_STAFF = 500;

/** A service as the catalogue holds it; `staffIds` ascending, each once. */
export interface Service {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly durationMinutes: number;
  readonly location: string | null;
  readonly priceCents: number;
  readonly currency: string;
  /** null: the staff member's own buffer applies. */
  readonly bufferBeforeMinutes: number | null;
  readonly bufferAfterMinutes: number | null;
  readonly capacity: number;
  /** Minutes before the start, one reminder each (normalized: reminderLeadMinutesSchema); null: the deployment's REMINDER_LEAD_MINUTES. */
  readonly reminderLeadMinutes: readonly number[] | null;
  readonly staffIds: readonly number[];
  readonly isActive: boolean;
}

/** What an appointment's emails and calendar event say of its service: what it is, and where. */
export type ServiceLabel = Pick<Service, 'name' | 'location'>;

export const serviceNameSchema = writtenText(z.string().trim().min(1, 'Name is required').max(200), 'Name', 'one');
export const serviceDescriptionSchema = writtenText(z.string().trim().max(5000), 'Description', 'many');
export const serviceLocationSchema = writtenText(z.string().trim().max(500), 'Location', 'one');
/** Whole minutes up to a day; the deployment's shortest appointment is checked by assertServiceDuration. */
export const serviceDurationSchema = z.number().int().min(1).max(MAX_APPOINTMENT_MINUTES);
export const priceCentsSchema = z.number().int().min(0).max(100_000_000);
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code: three capital letters');
export const serviceBufferSchema = z.number().int().min(0).max(MAX_BUFFER_MINUTES);
export const capacitySchema = z.number().int().min(1).max(MAX_SERVICE_CAPACITY);

/** Throws SERVICE.INVALID unless the duration is at least the deployment's shortest appointment. */
export function assertServiceDuration(durationMinutes: number, minAppointmentMinutes: number): void {
  if (durationMinutes < minAppointmentMinutes) {
    throw new DomainError('SERVICE.INVALID', `duration_minutes must be at least ${minAppointmentMinutes}`, { duration_minutes: durationMinutes });
  }
}

/**
 * Throws SERVICE.INVALID naming the ids among `staffIds` that are not active staff members;
 * `found` holds the users those ids resolve to (an unknown id is as wrong as a client's).
 */
export function assertServiceStaff(staffIds: readonly number[], found: readonly Pick<User, 'id' | 'role' | 'isActive'>[]): void {
  const staff = new Set(found.filter((user) => user.role === 'staff' && user.isActive).map((user) => user.id));
  const wrong = staffIds.filter((id) => !staff.has(id));
  if (wrong.length > 0) throw new DomainError('SERVICE.INVALID', `Not active staff members: ${wrong.join(', ')}`, { staff_ids: wrong });
}

/** Throws SERVICE.NOT_FOUND unless `viewer` may see it: an inactive service exists for admins only. */
export function assertServiceVisible<S extends Pick<Service, 'isActive'>>(service: S | null, id: number, viewer: Pick<User, 'role'> | null): asserts service is S {
  if (!service || (!service.isActive && viewer?.role !== 'admin')) throw new DomainError('SERVICE.NOT_FOUND', `Service ${id} not found`);
}

/**
 * The occurrence a booking of a group service (capacity above 1) takes a seat of: the staff
 * member's appointments of one service at one start and end share it, and may overlap each other
 * but nothing else (the database's overlap and seat guards key on it). Null for a one-to-one booking.
 */
export function occurrenceKey(service: Pick<Service, 'id' | 'capacity'> | null, start: Instant, end: Instant): string | null {
  return service && service.capacity > 1 ? `${service.id}/${start}/${end}` : null;
}

/** A staff member's rules for a booking of `service`: its buffers, where set, replace the staff member's own. */
export function rulesForService(rules: BookingRules, service: Pick<Service, 'bufferBeforeMinutes' | 'bufferAfterMinutes'> | null): BookingRules {
  if (!service) return rules;
  return {
    ...rules,
    bufferBeforeMinutes: service.bufferBeforeMinutes ?? rules.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes ?? rules.bufferAfterMinutes,
  };
}

/** The one spelling of a staff list: ascending, each id once. */
export function normalizeStaffIds(staffIds: readonly number[]): number[] {
  return [...new Set(staffIds)].sort((a, b) => a - b);
}
