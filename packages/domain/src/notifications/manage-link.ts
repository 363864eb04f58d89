import type { NotificationKind } from './plan.ts';

/** The words of the manage link in a client's emails (English; a catalogue of languages may take them over). */
export const MANAGE_LINK_TEXT = {
  /** Where the client may see, reschedule or cancel the appointment. */
  manage: 'Manage your appointment',
  /** After a cancellation there is nothing left to change, only to see. */
  view: 'View your appointment',
} as const;

export function manageLinkText(kind: NotificationKind): string {
  return kind === 'cancellation' ? MANAGE_LINK_TEXT.view : MANAGE_LINK_TEXT.manage;
}
