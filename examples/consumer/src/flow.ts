/**
 * A scripted flow against a live API, written as an app outside this repository would write it:
 * only the published package, strict types, no workspace imports.
 *
 *   node out/flow.js <api-url> <admin-email> <admin-password>
 *
 * Logs each step, then prints a JSON summary as its last line (the pack test reads it).
 */
import { randomUUID } from 'node:crypto';
import { createAppointmentsSession, errorCode, errorStatus, type RouterOutputs } from '@appointments/client';

type Appointment = RouterOutputs['appointments']['get'];

const [baseUrl, adminEmail, adminPassword] = process.argv.slice(2);
if (!baseUrl || !adminEmail || !adminPassword) {
  console.error('usage: node out/flow.js <api-url> <admin-email> <admin-password>');
  process.exit(2);
}

/** What a failed call tells a program: the stable code and the HTTP status, no message parsing. */
async function failure(call: Promise<unknown>): Promise<{ code: string | undefined; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    return { code: errorCode(error), status: errorStatus(error) };
  }
  throw new Error('expected the call to fail');
}

const step = (text: string) => console.log(`- ${text}`);
const when = (a: Appointment) => `${a.start_time} → ${a.end_time} (${a.status}, sequence ${a.sequence})`;

// Unique people per run, so the flow can run again against the same server.
const run = randomUUID().slice(0, 8);
const password = 'consumer-pass-1';
// A week ahead in UTC: inside the default booking horizon and outside the cancellation window.
const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

const admin = createAppointmentsSession({ baseUrl });
await admin.login(adminEmail, adminPassword).catch((error: unknown) => {
  console.error(`admin login failed: ${errorCode(error)} (${errorStatus(error)})`); // e.g. AUTH.INVALID_CREDENTIALS (401)
  process.exit(1);
});
const staff = await admin.client.auth.register.mutate({ email: `staff-${run}@example.com`, full_name: 'Sam Staff', password, role: 'staff', timezone: 'UTC' });
await admin.client.availability.create.mutate({ staff_id: staff.id, specific_date: day, start_time: '09:00:00', end_time: '12:00:00' });
step(`admin created staff #${staff.id} with availability on ${day} 09:00–12:00 UTC`);

const me = createAppointmentsSession({ baseUrl });
const email = `client-${run}@example.com`;
const registered = await me.client.auth.register.mutate({ email, full_name: 'Casey Client', password });
await me.login(email, password);
step(`registered and logged in as ${registered.email} (${registered.role})`);

const slots = await me.client.availability.slots.query({ staff_id: staff.id, date: day, slot_duration: 60 });
const [first, second] = slots;
if (!first || !second) throw new Error(`expected at least two free slots, got ${slots.length}`);
step(`${slots.length} free slots, first ${first.start_time}`);

const key = randomUUID();
const booking = { staff_id: staff.id, start_time: first.start_time, end_time: first.end_time, notes: 'Booked by the example app' };
const booked = await me.book(booking, { idempotencyKey: key });
// A retry with the same key (as after a lost answer) returns the same booking.
const retried = await me.book(booking, { idempotencyKey: key });
step(`booked #${booked.id}: ${when(booked)}; retry with the same key gave #${retried.id}`);

const taken = await failure(me.book(booking));
step(`booking the same slot again without the key: ${taken.code} (${taken.status})`);

const moved = await me.reschedule(booked.id, second.start_time, second.end_time, 'a clash came up');
step(`rescheduled: ${when(moved)}`);

const ics = await me.downloadIcs(moved.id);
if (!ics.includes('BEGIN:VCALENDAR')) throw new Error(`not a calendar:\n${ics}`);
step(`downloaded .ics (${ics.length} characters)`);
const missingIcs = await failure(me.downloadIcs(2_000_000_000));

const cancelled = await me.cancel(moved.id, 'plans changed');
step(`cancelled: ${when(cancelled)}`);

await me.logout();
const afterLogout = await failure(me.client.auth.me.query());
step(`after logout: ${afterLogout.code} (${afterLogout.status})`);

console.log(
  JSON.stringify({
    client: { email: registered.email, role: registered.role },
    slots: slots.length,
    booked: { id: booked.id, start_time: booked.start_time, status: booked.status },
    retried_id: retried.id,
    taken,
    rescheduled: { id: moved.id, start_time: moved.start_time, sequence: moved.sequence, expected_start: second.start_time },
    ics: { calendar: ics.startsWith('BEGIN:VCALENDAR'), event: ics.includes('BEGIN:VEVENT') },
    missing_ics: missingIcs,
    cancelled: { id: cancelled.id, status: cancelled.status },
    after_logout: afterLogout,
  }),
);
