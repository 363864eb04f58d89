/**
 * Never run: tsc alone checks it. Each Expect fails the build if an inferred type changes, and each
 * @ts-expect-error fails it if the types degrade to any.
 */
import {
  createAppointmentsSession,
  type errorCode,
  type errorStatus,
  type AppointmentsClient,
  type AppointmentsErrorCode,
  type AppointmentsSession,
  type RouterInputs,
  type RouterOutputs,
} from '@appointments/client';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Me = RouterOutputs['auth']['me'];
type Appointment = RouterOutputs['appointments']['get'];
export type Checks = [
  Expect<Equal<Me['role'], 'admin' | 'staff' | 'client'>>,
  Expect<Equal<Me['created_at'], string>>,
  Expect<Equal<RouterOutputs['auth']['login'], { access_token: string; token_type: 'bearer' }>>,
  // The account email as `username` (the OAuth2 name) or `email`; the server refuses neither, or two different ones.
  Expect<Equal<RouterInputs['auth']['login'], { username?: string; email?: string; password: string }>>,
  Expect<Equal<RouterOutputs['users']['list']['items'][number], Me>>,
  Expect<Equal<Appointment['status'], 'scheduled' | 'completed' | 'cancelled' | 'no_show'>>,
  // The session's helpers return the procedures' own outputs, not look-alikes.
  Expect<Equal<Awaited<ReturnType<AppointmentsSession['book']>>, RouterOutputs['appointments']['create']>>,
  Expect<Equal<Awaited<ReturnType<AppointmentsSession['cancel']>>, Appointment>>,
  Expect<Equal<Parameters<AppointmentsSession['book']>[0], RouterInputs['appointments']['create']>>,
  Expect<Equal<Awaited<ReturnType<AppointmentsSession['downloadIcs']>>, string>>,
  Expect<Equal<ReturnType<typeof errorCode>, AppointmentsErrorCode | undefined>>,
  // The codes are the server's own union, not any string.
  Expect<Equal<'APPOINTMENT.SLOT_TAKEN' extends AppointmentsErrorCode ? true : false, true>>,
  Expect<Equal<'APPOINTMENT.SLOT_TOOKEN' extends AppointmentsErrorCode ? true : false, false>>,
  Expect<Equal<ReturnType<typeof errorStatus>, number | undefined>>,
];

export async function neverCalled(client: AppointmentsClient): Promise<void> {
  const me = await client.auth.me.query();
  // @ts-expect-error role keeps its literal union
  me.role = 'superuser';
  // @ts-expect-error username is a string
  await client.auth.login.mutate({ username: 42, password: 'x' });
  // @ts-expect-error full_name is required
  await client.auth.register.mutate({ email: 'a@example.com', password: 'long-enough' });
  // @ts-expect-error unknown role
  await client.users.update.mutate({ id: me.id, role: 'superuser' });
  // @ts-expect-error limit is a number
  await client.users.list.query({ limit: 'ten' });
  // @ts-expect-error no such procedure
  await client.auth.nothing.query();

  const session = createAppointmentsSession({ baseUrl: 'http://localhost:8000' });
  // @ts-expect-error the id is a number
  await session.cancel('1');
  // @ts-expect-error start_time is required (end_time may be left out, for a service)
  await session.book({ staff_id: 1, end_time: '2030-01-07T10:00:00' });
  // @ts-expect-error service_id is a number
  await session.book({ service_id: 'consultation', start_time: '2030-01-07T09:00:00' });
  // @ts-expect-error the token is read-only; login sets it
  session.token = 'stolen';
}
