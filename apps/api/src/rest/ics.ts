import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { appointmentUid, buildCalendar, type CalendarEvent, type User } from '@appointments/domain';
import { createContextFromRequest, type Services } from '../context.ts';
import { errorDetails, publicMessage, toTRPCError } from '../errors.ts';
import { sendJson } from '../http.ts';
import type { AppointmentOutput } from '../routers/appointments/appointment.schema.ts';
import { createCaller } from '../routers/caller.ts';

const EXPORT_ALL = '/api/v1/appointments/export-all.ics';
const EXPORT_ONE = /^\/api\/v1\/appointments\/([^/]+)\/export\.ics$/;
const PAGE = 200;
const MAX_EVENTS = 10_000;

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

/** Names the other party: the client sees the staff member, the staff member the client. */
function summaryFor(viewerId: number, staff: User, client: User): string {
  if (viewerId === client.id) return `Appointment with ${staff.fullName}`;
  if (viewerId === staff.id) return `Appointment with ${client.fullName}`;
  return `${client.fullName} with ${staff.fullName}`;
}

/**
 * The .ics export routes. They go through the same tRPC procedures as everything else (auth,
 * visibility, validation, errors), and only the answer's format differs: iCalendar, built by the
 * domain's builder, as the worker's email attachments are.
 */
export function createIcsRoutes(services: Services, uidDomain: string) {
  async function events(viewerId: number, appointments: readonly AppointmentOutput[]): Promise<CalendarEvent[]> {
    const repos = services.db.fork();
    const ids = [...new Set(appointments.flatMap((a) => [a.staff_id, a.client_id]))];
    const people = new Map((await Promise.all(ids.map((id) => repos.users.findById(id)))).flatMap((u) => (u ? [[u.id, u] as const] : [])));
    return appointments.flatMap((a) => {
      const staff = people.get(a.staff_id);
      const client = people.get(a.client_id);
      if (!staff || !client) return [];
      return [
        {
          uid: appointmentUid(a.id, uidDomain),
          sequence: a.sequence,
          start: Date.parse(a.start_time),
          end: Date.parse(a.end_time),
          summary: summaryFor(viewerId, staff, client),
          description: a.notes,
          organizer: { name: staff.fullName, email: staff.email },
          attendee: { name: client.fullName, email: client.email },
          status: a.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
          lastModified: Date.parse(a.updated_at),
        } satisfies CalendarEvent,
      ];
    });
  }

  async function respond(req: IncomingMessage, res: ServerResponse, id: string | undefined, url: URL): Promise<void> {
    const caller = createCaller(createContextFromRequest(services, req));
    const viewer = await caller.auth.me();
    let appointments: AppointmentOutput[];
    let filename: string;
    if (id !== undefined) {
      appointments = [await caller.appointments.get({ id: /^\d{1,10}$/.test(id) ? Number(id) : Number.NaN })];
      filename = `appointment-${id}.ics`;
    } else {
      appointments = [];
      for (let offset = 0; offset < MAX_EVENTS; offset += PAGE) {
        const page = await caller.appointments.list({ ...listFilters(url), limit: PAGE, offset } as Parameters<typeof caller.appointments.list>[0]);
        appointments.push(...page);
        if (page.length < PAGE) break;
      }
      filename = 'appointments.ics';
    }
    const body = buildCalendar(await events(viewer.id, appointments), { name: 'Appointments', now: Date.now() });
    res.writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  /** Answers an export URL, or returns false when the path is not one. */
  return async function serveIcs(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const one = EXPORT_ONE.exec(path);
    if (path !== EXPORT_ALL && !one) return false;
    try {
      await respond(req, res, one?.[1], new URL(req.url ?? '/', 'http://localhost'));
    } catch (cause) {
      const error = toTRPCError(cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause }));
      if (error.code === 'INTERNAL_SERVER_ERROR') services.logger.error({ err: error.cause ?? error, path }, 'calendar export failed');
      const { code, issues } = errorDetails(error);
      sendJson(res, getHTTPStatusCodeFromError(error), { code, message: publicMessage(error), issues });
    }
    return true;
  };
}
