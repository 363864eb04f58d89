import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import {
  appointmentCalendarEvent,
  buildCalendar,
  DomainError,
  isApiKeyToken,
  ownAppointments,
  type Appointment,
  type CalendarAppointment,
  type CalendarEvent,
  type EventSettings,
} from '@appointments/domain';
import { hashToken } from '../auth/tokens.ts';
import { createContextFromRequest, type Services } from '../context.ts';
import { errorDetails, errorHeaders, publicMessage, toTRPCError } from '../errors.ts';
import { sendJson } from '../http.ts';
import type { AppointmentOutput } from '../routers/appointments/appointment.schema.ts';
import { FEED_PATH } from '../routers/calendar/feeds.schema.ts';
import { createCaller } from '../routers/caller.ts';

const EXPORT_ALL = '/api/v1/appointments/export-all.ics';
const EXPORT_ONE = /^\/api\/v1\/appointments\/([^/]+)\/export\.ics$/;
const PAGE = 200;
const MAX_EVENTS = 10_000;

/** Every page of a listing, each after the one before, up to MAX_EVENTS: a calendar holds all of them, not the first 200. */
async function allPages<T, Next>(page: (after: Next | undefined) => Promise<{ readonly items: readonly T[]; readonly next: Next | null }>): Promise<T[]> {
  const items: T[] = [];
  let after: Next | undefined;
  do {
    const batch = await page(after);
    items.push(...batch.items);
    after = batch.next ?? undefined;
  } while (after !== undefined && items.length < MAX_EVENTS);
  return items;
}

/** An appointment as an export shows it: its calendar event, whose it is, and its service. */
type Exported = CalendarAppointment & Pick<Appointment, 'clientId' | 'staffId' | 'serviceId'>;

/** The procedures answer in the API's output shape; the calendar wants instants back. */
const exported = (a: AppointmentOutput): Exported => ({
  id: a.id,
  clientId: a.client_id,
  staffId: a.staff_id,
  serviceId: a.service_id,
  sequence: a.sequence,
  start: Date.parse(a.start_time),
  end: Date.parse(a.end_time),
  notes: a.notes,
  status: a.status,
  updatedAt: Date.parse(a.updated_at),
});

/** Query strings are text; the list procedure's schema wants numbers for these. */
const NUMERIC = new Set(['staff_id', 'client_id']);

function listFilters(url: URL): Record<string, string | number> {
  const filters: Record<string, string | number> = {};
  for (const key of ['status', 'from', 'to', 'staff_id', 'client_id']) {
    const value = url.searchParams.get(key);
    if (value !== null) filters[key] = NUMERIC.has(key) && /^\d{1,10}$/.test(value) ? Number(value) : value;
  }
  return filters;
}

/**
 * The .ics export routes. They go through the same tRPC procedures as everything else (auth,
 * visibility, validation, errors), and only the answer's format differs: iCalendar, built by the
 * domain's builder, as the worker's email attachments are. `options`: NOTES_IN_CALENDAR.
 */
export function createIcsRoutes(services: Services, settings: EventSettings) {
  async function events(viewerId: number | null, appointments: readonly Exported[]): Promise<CalendarEvent[]> {
    const repos = services.db.fork();
    const ids = [...new Set(appointments.flatMap((a) => [a.staffId, a.clientId]))];
    const people = new Map((await Promise.all(ids.map((id) => repos.users.findById(id)))).flatMap((u) => (u ? [[u.id, u] as const] : [])));
    const booked = await repos.services.labels([...new Set(appointments.flatMap((a) => (a.serviceId === null ? [] : [a.serviceId])))]);
    return appointments.flatMap((a) => {
      const staff = people.get(a.staffId);
      const client = people.get(a.clientId);
      const service = a.serviceId === null ? null : (booked.get(a.serviceId) ?? null);
      return staff && client ? [appointmentCalendarEvent({ ...a, service }, { staff, client }, viewerId, settings)] : [];
    });
  }

  function send(res: ServerResponse, body: string, filename?: string): void {
    res.writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      ...(filename && { 'content-disposition': `attachment; filename="${filename}"` }),
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  /**
   * A subscription feed: the token in the URL stands for its owner (calendar apps send no
   * Authorization header). It shows only the owner's own appointments, never what an admin may see.
   */
  async function feed(res: ServerResponse, url: URL): Promise<void> {
    const token = url.searchParams.get('token') ?? '';
    const now = new Date();
    const repos = services.db.fork();
    const found = /^[a-z2-7]{32}$/.test(token) ? await repos.calendarFeeds.use(hashToken(token), now) : null;
    if (!found) throw new DomainError('CALENDAR.FEED_NOT_FOUND', 'No calendar feed for this token (it may have been revoked)');
    const { user } = found;
    const own = ownAppointments(user);
    const appointments = await allPages(async (after: readonly [number, number] | undefined) => {
      const { items, more } = await repos.appointments.list({ ...own, limit: PAGE, after });
      const last = items.at(-1);
      return { items, next: more && last ? ([last.start, last.id] as const) : null };
    });
    send(res, buildCalendar(await events(user.id, appointments), { name: 'Appointments', now: now.getTime() }));
  }

  async function respond(req: IncomingMessage, res: ServerResponse, id: string | undefined, url: URL): Promise<void> {
    const context = createContextFromRequest(services, req);
    const caller = createCaller(context);
    // An API key is nobody's calendar (events name both parties); the procedures below check its scope.
    const viewerId = context.token !== null && isApiKeyToken(context.token) ? null : (await caller.auth.me()).id;
    let appointments: AppointmentOutput[];
    let filename: string;
    if (id !== undefined) {
      appointments = [await caller.appointments.get({ id: /^\d{1,10}$/.test(id) ? Number(id) : Number.NaN })];
      filename = `appointment-${id}.ics`;
    } else {
      appointments = await allPages(async (cursor: string | undefined) => {
        const { items, next_cursor } = await caller.appointments.list({ ...listFilters(url), limit: PAGE, cursor } as Parameters<typeof caller.appointments.list>[0]);
        return { items, next: next_cursor };
      });
      filename = 'appointments.ics';
    }
    send(res, buildCalendar(await events(viewerId, appointments.map(exported)), { name: 'Appointments', now: Date.now() }), filename);
  }

  /** Answers an export URL, or returns false when the path is not one. */
  return async function serveIcs(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const one = EXPORT_ONE.exec(path);
    if (path !== EXPORT_ALL && path !== FEED_PATH && !one) return false;
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (path === FEED_PATH) await feed(res, url);
      else await respond(req, res, one?.[1], url);
    } catch (cause) {
      // Errors thrown here directly (not by a procedure) are wrapped first, then mapped by their kind like all others.
      const error = toTRPCError(cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause }));
      if (error.code === 'INTERNAL_SERVER_ERROR') services.logger.error({ err: error.cause ?? error, path }, 'calendar export failed');
      const { code, issues } = errorDetails(error);
      sendJson(res, getHTTPStatusCodeFromError(error), { code, message: publicMessage(error), issues }, errorHeaders([error]));
    }
    return true;
  };
}
