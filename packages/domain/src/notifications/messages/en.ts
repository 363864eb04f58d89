/**
 * The English catalogue, whose shape (`Messages`) every other language's must have: a missing or
 * extra key elsewhere does not compile. Keys are grouped by email (`appointment`: the four
 * appointment notices), with `common` for what every email shares, so a new kind of email adds a
 * group and a new line of an existing one adds a key.
 */
import type { NotificationKind } from '../plan.ts';

/** A local day and start time, as the interval formatter writes them. */
export interface At {
  readonly date: string;
  readonly time: string;
}

/** "Haircut with Dr. Sam Staff", or "appointment with …" for an appointment booked by its times. */
export type Subject = (at: At & { readonly what: string }) => string;
/** A client's subject when the deployment names its organisation: the service and the person stay out of it. */
export type OrganizationSubject = (at: At & { readonly organization: string }) => string;

export const en = {
  /** For dates and times when the recipient's locale names no region: day before month, a 24-hour clock. */
  formatLocale: 'en-GB',
  common: {
    greeting: (name: string) => `Hello ${name},`,
    sentBy: (organization: string) => `Sent by ${organization}.`,
    sentBySystem: 'Sent by the appointment system.',
  },
  appointment: {
    subject: {
      confirmation: ({ what, date, time }) => `Confirmed: ${what} on ${date} at ${time}`,
      reschedule: ({ what, date, time }) => `Rescheduled: ${what} now on ${date} at ${time}`,
      cancellation: ({ what, date, time }) => `Cancelled: ${what} on ${date} at ${time}`,
      reminder: ({ what, date, time }) => `Reminder: ${what} on ${date} at ${time}`,
    } satisfies Record<NotificationKind, Subject>,
    subjectWithOrganization: {
      confirmation: ({ organization, date, time }) => `Your appointment with ${organization} is confirmed: ${date} at ${time}`,
      reschedule: ({ organization, date, time }) => `Your appointment with ${organization} has moved to ${date} at ${time}`,
      cancellation: ({ organization, date, time }) => `Your appointment with ${organization} on ${date} at ${time} is cancelled`,
      reminder: ({ organization, date, time }) => `Reminder: your appointment with ${organization} on ${date} at ${time}`,
    } satisfies Record<NotificationKind, OrganizationSubject>,
    what: {
      appointment: (counterpart: string) => `appointment with ${counterpart}`,
      service: (service: string, counterpart: string) => `${service} with ${counterpart}`,
    },
    headline: {
      confirmation: 'Your appointment is booked.',
      reschedule: 'Your appointment has moved to a new time.',
      cancellation: 'Your appointment has been cancelled.',
      reminder: 'A reminder of your upcoming appointment.',
    } satisfies Record<NotificationKind, string>,
    labels: {
      service: 'Service',
      when: 'When',
      newTime: 'New time',
      previously: 'Previously',
      wasBookedFor: 'Was booked for',
      cancelledBy: 'Cancelled by',
      reason: 'Reason',
      with: 'With',
      where: 'Where',
      notes: 'Notes',
    },
    /** Who cancelled, when it was the recipient themselves. */
    cancelledByYou: 'you',
    cancelledByApiKey: (name: string) => `${name} (API key)`,
    calendarHint: 'The attached calendar file keeps your calendar up to date.',
    /** The client's link to see, reschedule or cancel it; after a cancellation there is only something to see. */
    manageLink: { manage: 'Manage your appointment', view: 'View your appointment' },
  },
  /** Password reset and email verification: a link, how long it works, and what to do if it was not asked for. */
  account: {
    password_reset: {
      subject: 'Reset your password',
      headline: 'Someone asked to set a new password for your account.',
      action: 'Choose a new password',
      ignore: 'If that was not you, ignore this email: your password stays as it is.',
    },
    verify_email: {
      subject: 'Confirm your email address',
      headline: 'Please confirm that this address is yours.',
      action: 'Confirm my email address',
      ignore: 'If you did not sign up, ignore this email.',
    },
    validity: (minutes: number): string => (minutes % 60 === 0 ? `The link works once, for ${minutes / 60} hour${minutes === 60 ? '' : 's'}.` : `The link works once, for ${minutes} minutes.`),
  },
};

export type Messages = typeof en;
