/**
 * How long before an appointment its reminders go out: the deployment's list (REMINDER_LEAD_MINUTES),
 * or a service's own. Each lead time is one reminder to each party.
 */
import { z } from 'zod';

/** A reminder at most a year ahead. */
export const MAX_REMINDER_LEAD_MINUTES = 525_600;
/** Every lead time is an email to each party after every change: a handful is plenty. */
export const MAX_REMINDER_LEADS = 10;

/** The one spelling of a list of lead times: each once, longest first (the order they go out). */
export function normalizeReminderLeads(leads: readonly number[]): number[] {
  return [...new Set(leads)].sort((a, b) => b - a);
}

/** Whole minutes before the start; an empty list sends no reminder. */
export const reminderLeadMinutesSchema = z
  .array(z.number().int().min(1).max(MAX_REMINDER_LEAD_MINUTES))
  .max(MAX_REMINDER_LEADS)
  .transform(normalizeReminderLeads);

export interface NotificationSettings {
  /** REMINDER_LEAD_MINUTES, normalized: what applies to an appointment whose service sets none. */
  readonly reminderLeadMinutes: readonly number[];
}

/** An appointment's lead times: its service's own list when it has one (null: none set), else the deployment's. */
export function reminderLeadsFor(serviceLeads: readonly number[] | null, settings: NotificationSettings): readonly number[] {
  return serviceLeads ?? settings.reminderLeadMinutes;
}
