import type { Notification, NotificationStatus, NotifiedAppointment, PlannedNotification } from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import { fromJson, toInstant, type Runner } from '../runner/index.ts';
import {
  DELIVERABLE,
  DUE_PENDING,
  MARK_DROPPED,
  MARK_FAILED,
  MARK_QUEUED,
  MARK_SENT,
  NOTIFICATION_BY_ID,
  notificationList,
  PRUNE_FINISHED,
  QUEUED_DUE,
  RECORD_FAILURE,
  recordOutbox,
  RETRY,
  UNREMINDED,
} from '../sql/notifications.ts';
import { deliverableFromRow, type Deliverable } from './deliverable.ts';
import { notificationFromRow } from './notification.ts';

export interface NotificationFilter {
  readonly status?: NotificationStatus;
  readonly appointmentId?: number;
}

/** A scheduled appointment whose current version misses a reminder, with its service's lead times (null: the deployment's). */
export type UnremindedAppointment = NotifiedAppointment & { readonly id: number; readonly reminderLeadMinutes: readonly number[] | null };

/** Errors are kept short: enough to diagnose, never a whole SMTP transcript. */
const MAX_ERROR = 2000;

/** The outbox. Every state change is one conditional UPDATE, so racing workers cannot undo each other. */
export class NotificationRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /**
   * Records notifications (the sweep's reminders); how many were new. A row already recorded (same
   * appointment, kind, version, person, lead time) is kept as it is.
   */
  async record(appointmentId: number, planned: readonly PlannedNotification[]): Promise<number> {
    if (planned.length === 0) return 0;
    return (await this.#sql.run(...recordOutbox(appointmentId, planned, new Date()))).affected;
  }

  async findById(id: number): Promise<Notification | null> {
    const [row] = (await this.#sql.run(NOTIFICATION_BY_ID, [id])).rows;
    return row ? notificationFromRow(row) : null;
  }

  /** The notification, its appointment and both parties as they are now, in one query (one per email sent). */
  async findDeliverable(id: number): Promise<Deliverable | null> {
    const [row] = (await this.#sql.run(DELIVERABLE, [id])).rows;
    return row ? deliverableFromRow(row) : null;
  }

  /**
   * Hands the pending rows due by `until` (oldest due first, at most `limit`) to `enqueue`, then marks
   * them queued; returns how many. On PostgreSQL this is one transaction whose rows are locked FOR
   * UPDATE SKIP LOCKED, so relays running at once in several workers take disjoint rows and each row
   * is enqueued once. If `enqueue` throws, the rows stay pending. (SQLite has no row locks, and a
   * read-then-write transaction there could fail against the API's writes, so it runs unlocked.)
   */
  async relayDue(until: Date, limit: number, at: Date, enqueue: (rows: readonly Notification[]) => Promise<void>): Promise<number> {
    return this.#sql.rowLocking(async (sql) => {
      const rows = (await sql.run(DUE_PENDING, [until, limit])).rows.map(notificationFromRow);
      if (rows.length === 0) return 0;
      await enqueue(rows);
      await sql.run(MARK_QUEUED, [at, new Date(), rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /** Queued before `queuedBefore` and due by `until`: their jobs are re-sent in case the queue lost them. */
  async queuedDue(until: Date, queuedBefore: Date, limit: number): Promise<Notification[]> {
    return (await this.#sql.run(QUEUED_DUE, [until, queuedBefore, limit])).rows.map(notificationFromRow);
  }

  /** Notes that jobs exist for these (again); only rows still open move. */
  async markQueued(ids: readonly number[], at: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.#sql.run(MARK_QUEUED, [at, new Date(), [...ids]])).affected;
  }

  /** The SMTP server accepted it. Recorded whatever the row said meanwhile: it was sent. */
  async markSent(id: number, at: Date, messageId: string | null): Promise<boolean> {
    return (await this.#sql.run(MARK_SENT, [at, messageId, new Date(), id])).affected > 0;
  }

  /** The appointment moved on; false if it was no longer open. */
  async markDropped(id: number, reason: string): Promise<boolean> {
    return (await this.#sql.run(MARK_DROPPED, [reason.slice(0, MAX_ERROR), new Date(), id])).affected > 0;
  }

  /** One sending attempt failed; the queue retries it. */
  async recordFailure(id: number, error: string): Promise<void> {
    await this.#sql.run(RECORD_FAILURE, [error.slice(0, MAX_ERROR), new Date(), id]);
  }

  /** Retries ran out (the job reached the dead-letter queue). */
  async markFailed(id: number, error: string | null): Promise<boolean> {
    return (await this.#sql.run(MARK_FAILED, [error?.slice(0, MAX_ERROR) ?? null, new Date(), id])).affected > 0;
  }

  /** An admin's retry of a failed notification: pending again, due now. Null unless it had failed. */
  async retry(id: number, now: Date): Promise<Notification | null> {
    if ((await this.#sql.run(RETRY, [now, new Date(), id])).affected === 0) return null;
    return this.findById(id);
  }

  /** Newest first (`after`: the id of the oldest one read). */
  async list(filter: NotificationFilter & PageStart): Promise<Page<Notification>> {
    return pageOf((await this.#sql.run(...notificationList.page(filter))).rows, filter.limit, notificationFromRow);
  }

  async count(filter: NotificationFilter = {}): Promise<number> {
    return Number((await this.#sql.run(...notificationList.count(filter))).rows[0]!.total);
  }

  /**
   * Deletes sent or dropped notifications due before `dueBefore`; how many it deleted. Nothing
   * records them again: reminders are re-recorded only for appointments still to come.
   */
  async pruneFinished(dueBefore: Date): Promise<number> {
    return this.#sql.deleteInBatches(PRUNE_FINISHED, [dueBefore]);
  }

  /**
   * Scheduled appointments whose current version has no reminder recorded for a lead time still
   * ahead of `now` (booked before notifications existed, or lead times were changed), by start;
   * `leads`: the deployment's, for appointments whose service sets none. Not one with a change
   * still to process: that change records (or carries over) its reminders.
   */
  async unreminded(now: Date, leads: readonly number[], limit: number): Promise<UnremindedAppointment[]> {
    const { rows } = await this.#sql.run(UNREMINDED, [now, [...leads], now, limit]);
    return rows.map((a) => ({
      id: a.id,
      clientId: a.client_id,
      staffId: a.staff_id,
      start: toInstant(a.start_at),
      status: a.status,
      sequence: a.sequence,
      reminderLeadMinutes: fromJson(a.reminder_lead_minutes),
    }));
  }
}
