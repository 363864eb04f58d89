/**
 * The demo's content. Dates are relative (working days from today in the staff member's zone), so
 * the calendar always looks current; plan.ts turns them into instants and checks them.
 */
import type { BookingRuleOverrides } from '@appointments/domain';

/** Public on purpose: printed by the CLI and in the README. Never seed a production database. */
export const DEMO_PASSWORDS = {
  admin: 'demo-admin-password',
  staff: 'demo-staff-password',
  client: 'demo-client-password',
} as const;

/** Its presence means the demo is already there. */
export const DEMO_ADMIN = { email: 'admin@demo.example', fullName: 'Demo Administrator', timezone: 'UTC' } as const;

/** Wall-clock hours by weekday (0 = Monday), in the staff member's zone. */
type WeeklyHours = readonly { readonly days: readonly number[]; readonly from: string; readonly to: string }[];

export interface DemoStaff {
  readonly key: string;
  readonly email: string;
  readonly fullName: string;
  readonly timezone: string;
  /** As the public staff directory shows them. */
  readonly title: string;
  readonly bio: string;
  readonly hours: WeeklyHours;
  /** A whole day off, this many working days from today. */
  readonly holidayInWorkdays: number;
  readonly settings?: Partial<BookingRuleOverrides>;
}

const WEEKDAYS = [0, 1, 2, 3, 4];

export const DEMO_STAFF = [
  {
    key: 'lena',
    email: 'lena.fischer@demo.example',
    fullName: 'Dr. Lena Fischer',
    timezone: 'Europe/Berlin',
    title: 'General practitioner',
    bio: 'Fifteen years in family medicine in Berlin; consultations in German and English.',
    // Two windows a day: the lunch break is simply not offered.
    hours: [
      { days: WEEKDAYS, from: '09:00', to: '12:30' },
      { days: WEEKDAYS, from: '13:30', to: '17:00' },
    ],
    holidayInWorkdays: 3,
  },
  {
    key: 'james',
    email: 'james.carter@demo.example',
    fullName: 'James Carter',
    timezone: 'America/New_York',
    title: 'Physiotherapist',
    bio: 'Sports injuries and back pain; also sees patients on Saturday mornings.',
    hours: [
      { days: WEEKDAYS, from: '08:00', to: '16:00' },
      { days: [5], from: '09:00', to: '12:00' },
    ],
    holidayInWorkdays: 5,
    settings: { bufferAfterMinutes: 15, slotIntervalMinutes: 30, minNoticeMinutes: 60, maxBookingsPerDay: 6 },
  },
  {
    key: 'hana',
    email: 'hana.sato@demo.example',
    fullName: 'Hana Sato',
    timezone: 'Asia/Tokyo',
    title: 'Sleep coach',
    bio: 'Helps people sleep better, one to one and in small groups.',
    hours: [{ days: WEEKDAYS, from: '10:00', to: '18:00' }],
    holidayInWorkdays: 2,
  },
] as const satisfies readonly DemoStaff[];

export const DEMO_CLIENTS = [
  { key: 'ada', email: 'ada.lovelace@demo.example', fullName: 'Ada Lovelace', timezone: 'Europe/London' },
  { key: 'carlos', email: 'carlos.mendes@demo.example', fullName: 'Carlos Mendes', timezone: 'America/Sao_Paulo' },
  { key: 'priya', email: 'priya.sharma@demo.example', fullName: 'Priya Sharma', timezone: 'Asia/Kolkata' },
  { key: 'tom', email: 'tom.becker@demo.example', fullName: 'Tom Becker', timezone: 'Europe/Berlin' },
  // Three no-shows: blocked from booking until an admin unblocks her.
  { key: 'maya', email: 'maya.chen@demo.example', fullName: 'Maya Chen', timezone: 'America/Los_Angeles' },
] as const;

export type StaffKey = (typeof DEMO_STAFF)[number]['key'];
export type ClientKey = (typeof DEMO_CLIENTS)[number]['key'];

export interface DemoService {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly minutes: number;
  readonly location: string | null;
  readonly priceCents: number;
  readonly currency: string;
  /** Seats per session: above 1, a group class. */
  readonly capacity: number;
  readonly staff: readonly StaffKey[];
  readonly bufferAfterMinutes?: number;
}

export const DEMO_SERVICES = [
  {
    key: 'consultation',
    name: 'Initial consultation',
    description: 'A first hour to talk through your situation and agree on a plan.',
    minutes: 60,
    location: null,
    priceCents: 9000,
    currency: 'EUR',
    capacity: 1,
    staff: ['lena', 'james', 'hana'],
  },
  {
    key: 'follow_up',
    name: 'Follow-up',
    description: 'Half an hour to review progress.',
    minutes: 30,
    location: 'Video call: the link comes with your confirmation',
    priceCents: 4500,
    currency: 'EUR',
    capacity: 1,
    staff: ['lena', 'james', 'hana'],
    bufferAfterMinutes: 5,
  },
  {
    key: 'sleep_class',
    name: 'Better sleep: group class',
    description: 'A small-group class on sleep habits, with time for questions.',
    minutes: 60,
    location: 'Studio 2, 1-2-3 Jingumae, Shibuya, Tokyo',
    priceCents: 2500,
    currency: 'EUR',
    capacity: 6,
    staff: ['hana'],
  },
] as const satisfies readonly DemoService[];

export type ServiceKey = (typeof DEMO_SERVICES)[number]['key'];

/** Working days from today (never today itself, so past stays past); `saturday` counts Saturdays instead. */
export interface DemoWhen {
  readonly day: number;
  readonly at: string;
  readonly saturday?: boolean;
}

export type DemoOutcome =
  | { readonly kind: 'scheduled' }
  | { readonly kind: 'completed' | 'no_show' }
  | { readonly kind: 'cancelled'; readonly by: 'client' | 'staff'; readonly reason: string }
  | { readonly kind: 'rescheduled'; readonly from: DemoWhen; readonly reason: string };

export interface DemoAppointment {
  readonly staff: StaffKey;
  readonly client: ClientKey;
  readonly when: DemoWhen;
  /** The service's duration when it names one. */
  readonly minutes: number;
  readonly service?: ServiceKey;
  readonly outcome: DemoOutcome;
  readonly notes?: string;
}

const scheduled = { kind: 'scheduled' } as const;
const completed = { kind: 'completed' } as const;
const noShow = { kind: 'no_show' } as const;

export const DEMO_APPOINTMENTS: readonly DemoAppointment[] = [
  // Dr. Lena Fischer, Berlin
  { staff: 'lena', client: 'ada', when: { day: -8, at: '10:00' }, minutes: 60, service: 'consultation', outcome: completed, notes: 'Initial consultation' },
  { staff: 'lena', client: 'maya', when: { day: -6, at: '14:00' }, minutes: 45, outcome: noShow },
  { staff: 'lena', client: 'tom', when: { day: -4, at: '09:00' }, minutes: 60, service: 'consultation', outcome: completed },
  { staff: 'lena', client: 'priya', when: { day: -2, at: '11:00' }, minutes: 60, service: 'consultation', outcome: { kind: 'cancelled', by: 'client', reason: 'Travelling that week' } },
  { staff: 'lena', client: 'ada', when: { day: -1, at: '15:00' }, minutes: 30, service: 'follow_up', outcome: completed, notes: 'Follow-up' },
  { staff: 'lena', client: 'tom', when: { day: 1, at: '10:00' }, minutes: 60, service: 'consultation', outcome: scheduled },
  {
    staff: 'lena',
    client: 'ada',
    when: { day: 2, at: '13:30' },
    minutes: 45,
    outcome: { kind: 'rescheduled', from: { day: 1, at: '14:00' }, reason: 'Clashes with a work meeting' },
    notes: 'Second follow-up',
  },
  { staff: 'lena', client: 'carlos', when: { day: 4, at: '09:30' }, minutes: 60, service: 'consultation', outcome: scheduled, notes: 'First visit' },
  { staff: 'lena', client: 'priya', when: { day: 6, at: '16:00' }, minutes: 60, service: 'consultation', outcome: { kind: 'cancelled', by: 'staff', reason: 'Conference travel' } },
  // James Carter, New York (works Saturday mornings; 15-minute buffer after each appointment)
  { staff: 'james', client: 'carlos', when: { day: -7, at: '09:00' }, minutes: 60, service: 'consultation', outcome: completed },
  { staff: 'james', client: 'maya', when: { day: -5, at: '11:00' }, minutes: 30, service: 'follow_up', outcome: noShow },
  { staff: 'james', client: 'ada', when: { day: -3, at: '13:00' }, minutes: 60, service: 'consultation', outcome: completed, notes: 'Video call' },
  { staff: 'james', client: 'tom', when: { day: -1, at: '10:00', saturday: true }, minutes: 60, service: 'consultation', outcome: completed },
  { staff: 'james', client: 'carlos', when: { day: 1, at: '08:30' }, minutes: 60, service: 'consultation', outcome: scheduled },
  { staff: 'james', client: 'priya', when: { day: 2, at: '10:00' }, minutes: 45, outcome: { kind: 'cancelled', by: 'client', reason: 'Found an earlier appointment elsewhere' } },
  { staff: 'james', client: 'carlos', when: { day: 1, at: '09:00', saturday: true }, minutes: 60, service: 'consultation', outcome: scheduled },
  { staff: 'james', client: 'tom', when: { day: 3, at: '15:00' }, minutes: 60, service: 'consultation', outcome: scheduled },
  // Hana Sato, Tokyo
  { staff: 'hana', client: 'priya', when: { day: -6, at: '10:00' }, minutes: 60, service: 'consultation', outcome: completed },
  { staff: 'hana', client: 'maya', when: { day: -3, at: '16:00' }, minutes: 60, service: 'consultation', outcome: noShow },
  { staff: 'hana', client: 'carlos', when: { day: -2, at: '11:00' }, minutes: 45, outcome: { kind: 'cancelled', by: 'staff', reason: 'Staff illness' } },
  { staff: 'hana', client: 'priya', when: { day: 1, at: '11:00' }, minutes: 60, service: 'consultation', outcome: scheduled },
  { staff: 'hana', client: 'ada', when: { day: 3, at: '17:00' }, minutes: 60, service: 'consultation', outcome: scheduled, notes: 'Early-morning call for Ada (London)' },
  { staff: 'hana', client: 'carlos', when: { day: 5, at: '10:00' }, minutes: 30, service: 'follow_up', outcome: scheduled },
  // Hana's group class: three of its six seats taken, one given back.
  { staff: 'hana', client: 'tom', when: { day: 4, at: '14:00' }, minutes: 60, service: 'sleep_class', outcome: scheduled },
  { staff: 'hana', client: 'ada', when: { day: 4, at: '14:00' }, minutes: 60, service: 'sleep_class', outcome: scheduled },
  { staff: 'hana', client: 'priya', when: { day: 4, at: '14:00' }, minutes: 60, service: 'sleep_class', outcome: scheduled },
  { staff: 'hana', client: 'carlos', when: { day: 4, at: '14:00' }, minutes: 60, service: 'sleep_class', outcome: { kind: 'cancelled', by: 'client', reason: 'Cannot make it after all' } },
];
