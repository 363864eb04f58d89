import { apiRoot, createAppointmentsClient, type AppointmentsClient, type RouterInputs, type RouterOutputs } from './client.ts';
import { httpError } from './errors.ts';

type In = RouterInputs['appointments'];
type Out = RouterOutputs['appointments'];

export interface AppointmentsSessionOptions {
  /** The server's root URL, e.g. `https://api.example.com`. */
  baseUrl: string | URL;
  /** A token kept from an earlier `login`, to resume without logging in again. */
  token?: string;
  /** Used for every call and the .ics download; the global fetch when absent. */
  fetch?: typeof globalThis.fetch;
}

export interface BookOptions {
  /** Sent as Idempotency-Key: retrying with the same key returns the first booking instead of booking twice. */
  idempotencyKey?: string;
}

/** Sugar over the same procedures for the common flows; `client` still reaches every procedure. */
export interface AppointmentsSession {
  /** Every procedure, sending this session's current token. */
  readonly client: AppointmentsClient;
  /** The bearer token in use (store it to resume later); undefined before login and after logout. */
  readonly token: string | undefined;
  /** Logs in and keeps the token for every later call. */
  login(email: string, password: string): Promise<RouterOutputs['auth']['login']>;
  /** Revokes the token on the server, then forgets it. */
  logout(): Promise<void>;
  book(input: In['create'], options?: BookOptions): Promise<Out['create']>;
  reschedule(id: In['reschedule']['id'], start: In['reschedule']['new_start_time'], end: In['reschedule']['new_end_time'], reason?: In['reschedule']['reason']): Promise<Out['reschedule']>;
  cancel(id: In['cancel']['id'], reason?: In['cancel']['reason']): Promise<Out['cancel']>;
  /** One appointment as iCalendar text; throws AppointmentsHttpError (code and status) when refused. */
  downloadIcs(id: In['get']['id']): Promise<string>;
}

export function createAppointmentsSession({ baseUrl, token: initial, fetch }: AppointmentsSessionOptions): AppointmentsSession {
  let token = initial;
  const client = createAppointmentsClient({ baseUrl, token: () => token, ...(fetch && { fetch }) });
  return {
    client,
    get token() {
      return token;
    },
    async login(email, password) {
      const result = await client.auth.login.mutate({ username: email, password });
      token = result.access_token;
      return result;
    },
    async logout() {
      await client.auth.logout.mutate();
      token = undefined;
    },
    book: (input, options) => client.appointments.create.mutate(input, { context: { idempotencyKey: options?.idempotencyKey } }),
    reschedule: (id, start, end, reason) => client.appointments.reschedule.mutate({ id, new_start_time: start, new_end_time: end, reason }),
    cancel: (id, reason) => client.appointments.cancel.mutate({ id, reason }),
    async downloadIcs(id) {
      // A plain HTTP route, not a procedure: the same bearer token, an iCalendar body, or the API's JSON error.
      const url = `${apiRoot(baseUrl)}/api/v1/appointments/${encodeURIComponent(id)}/export.ics`;
      const init: RequestInit = { headers: token ? { authorization: `Bearer ${token}` } : {} };
      // Called on globalThis, not detached: some browsers refuse an unbound fetch.
      const response = await (fetch ? fetch(url, init) : globalThis.fetch(url, init));
      if (!response.ok) throw await httpError(response);
      return response.text();
    },
  };
}
