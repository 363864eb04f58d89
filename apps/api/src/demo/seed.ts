/**
 * Writes the demo through the repositories, in one transaction, the way the API's handlers do:
 * booking then changes, each with its history entry, counters (and the block) from the domain.
 * Through the repositories rather than the API because the API refuses to book in the past.
 *
 * No outbox rows: 20-odd confirmation emails to made-up addresses on the worker's first start are
 * noise. Reminders still happen: the worker's sweep records the missing ones of scheduled appointments.
 */
import { countersAfter, nextSequence, occurrenceKey, type Appointment, type BookingRules, type LifecyclePolicy, type Role, type Service } from '@appointments/domain';
import type { Database, Repositories } from '@appointments/db';
import { hashPassword } from '../auth/passwords.ts';
import { NO_CHANGE } from '../routers/appointments/history.ts';
import { DEMO_ADMIN, DEMO_CLIENTS, DEMO_PASSWORDS, DEMO_SERVICES, DEMO_STAFF, type ClientKey, type ServiceKey, type StaffKey } from './data.ts';
import { planDemo, type PlannedAppointment, type PlannedChange } from './plan.ts';

export interface DemoSettings {
  readonly bookingDefaults: BookingRules;
  readonly lifecycle: LifecyclePolicy;
  readonly minAppointmentMinutes: number;
}

export interface DemoAccount {
  readonly role: Role;
  readonly email: string;
  readonly fullName: string;
  readonly timezone: string;
  readonly password: string;
}

export interface SeedResult {
  /** False: the demo admin already existed, and nothing was written. */
  readonly created: boolean;
  readonly accounts: readonly DemoAccount[];
  readonly appointments: number;
  readonly services: number;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: 'admin', ...DEMO_ADMIN, password: DEMO_PASSWORDS.admin },
  ...DEMO_STAFF.map(({ email, fullName, timezone }) => ({ role: 'staff' as const, email, fullName, timezone, password: DEMO_PASSWORDS.staff })),
  ...DEMO_CLIENTS.map(({ email, fullName, timezone }) => ({ role: 'client' as const, email, fullName, timezone, password: DEMO_PASSWORDS.client })),
];

/** Fills `db` with the demo unless its admin exists; `now` is the moment the demo is built around. */
export async function seedDemo(db: Database, settings: DemoSettings, now = new Date()): Promise<SeedResult> {
  const users = db.fork().users;
  if (await users.findCredentials(DEMO_ADMIN.email)) return { created: false, accounts: DEMO_ACCOUNTS, appointments: 0, services: 0 };
  // Someone signed up with a demo address: say which, rather than a bare "email taken" mid-way.
  const taken: string[] = [];
  for (const { email } of DEMO_ACCOUNTS) if (await users.findCredentials(email)) taken.push(email);
  if (taken.length > 0) throw new Error(`these demo accounts exist already, without the demo admin: ${taken.join(', ')}`);
  const plan = planDemo(now, settings.bookingDefaults, settings.minAppointmentMinutes);
  // Hashing is slow: done before the transaction, which then holds the (SQLite) write lock only briefly.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((account) => hashPassword(account.password)));

  await db.transaction(async (repos) => {
    const ids = new Map<string, number>();
    for (const [index, { password: _, ...account }] of DEMO_ACCOUNTS.entries()) {
      ids.set(account.email, (await repos.users.create({ ...account, passwordHash: hashes[index]! })).id);
    }
    const staffId = (key: StaffKey) => ids.get(DEMO_STAFF.find((s) => s.key === key)!.email)!;
    const clientId = (key: ClientKey) => ids.get(DEMO_CLIENTS.find((c) => c.key === key)!.email)!;

    for (const staff of DEMO_STAFF) {
      for (const rule of plan.rules.get(staff.key)!) await repos.availability.create({ staffId: staffId(staff.key), ...rule });
      if ('settings' in staff) await repos.staffSettings.update(staffId(staff.key), staff.settings);
      await repos.staffDirectory.update(staffId(staff.key), { title: staff.title, bio: staff.bio });
    }
    const services = new Map<ServiceKey, Service>();
    for (const { key, minutes, staff, ...service } of DEMO_SERVICES) {
      const buffers = { bufferBeforeMinutes: null, bufferAfterMinutes: 'bufferAfterMinutes' in service ? service.bufferAfterMinutes : null };
      services.set(key, await repos.services.create({ ...service, ...buffers, durationMinutes: minutes, staffIds: staff.map(staffId) }));
    }

    // Bookings in the order they were made, then every later change in the order it happened.
    const booked = [...plan.appointments].sort((a, b) => a.bookedAt - b.bookedAt);
    const written = new Map<PlannedAppointment, Appointment>();
    for (const planned of booked) {
      const service = planned.service === null ? null : services.get(planned.service)!;
      written.set(planned, await book(repos, planned, clientId(planned.client), staffId(planned.staff), service));
    }
    const changed = booked.filter((planned) => planned.change !== null).sort((a, b) => a.change!.at - b.change!.at);
    for (const planned of changed) {
      const actorId = planned.change!.by === 'staff' ? staffId(planned.staff) : clientId(planned.client);
      await applyChange(repos, written.get(planned)!, planned.change!, actorId, settings.lifecycle);
    }
  });
  return { created: true, accounts: DEMO_ACCOUNTS, appointments: plan.appointments.length, services: DEMO_SERVICES.length };
}

async function book(repos: Repositories, planned: PlannedAppointment, clientId: number, staffId: number, service: Service | null): Promise<Appointment> {
  const { booked } = planned;
  const occurrence = occurrenceKey(service, booked.start, booked.end);
  const created = await repos.appointments.create({ clientId, staffId, ...booked, notes: planned.notes, serviceId: service?.id ?? null, occurrence });
  await repos.appointmentEvents.append({
    ...NO_CHANGE,
    appointmentId: created.id,
    actorId: clientId,
    actorApiKeyId: null,
    at: planned.bookedAt,
    action: 'booked',
    toStatus: 'scheduled',
    toStart: created.start,
    toEnd: created.end,
  });
  return created;
}

/** As the lifecycle handler: a conditional transition, its history entry, and for marks the client's counters. */
async function applyChange(repos: Repositories, current: Appointment, change: PlannedChange, actorId: number, policy: LifecyclePolicy): Promise<void> {
  const { at } = change;
  const sequence = nextSequence(current);
  const updated = await repos.appointments.transition(current, change.kind === 'rescheduled' ? { ...change.to, sequence } : { status: change.kind, sequence });
  if (!updated) throw new Error(`demo appointment ${current.id} was not scheduled any more`);
  await repos.appointmentEvents.append({
    ...NO_CHANGE,
    appointmentId: current.id,
    actorId,
    actorApiKeyId: null,
    at,
    action: change.kind,
    ...(updated.status !== current.status && { fromStatus: current.status, toStatus: updated.status }),
    ...(change.kind === 'rescheduled' && { fromStart: current.start, fromEnd: current.end, toStart: updated.start, toEnd: updated.end }),
    reason: change.reason,
  });
  if (change.kind === 'completed' || change.kind === 'no_show') {
    const client = await repos.users.lockForUpdate(current.clientId);
    const next = countersAfter(client, change.kind, policy);
    await repos.users.setCounters(client.id, { noShowCount: next.noShowCount, completedCount: next.completedCount, isBlocked: next.isBlocked });
    if (next.blockedNow) await repos.userEvents.append({ userId: client.id, actorId, actorApiKeyId: null, at: new Date(at), action: 'blocked', reason: `Reached ${next.noShowCount} no-shows` });
  }
}
