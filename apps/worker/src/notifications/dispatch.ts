import { planReminders, reminderLeadsFor, type Notification, type NotificationSettings } from '@appointments/domain';
import type { Database } from '@appointments/db';
import type { Logger } from 'pino';
import type { Queue } from '../queue/boss.ts';

/** Jobs are created this far ahead of their due time; the outbox keeps everything later. */
export const LOOKAHEAD_MS = 6 * 3_600_000;
/** Recorded changes turned into notifications per relay pass at most: a pass stays short even with a backlog. */
const CHANGES_PER_PASS = 5_000;
/** A queued row whose job may have been lost (queue reset, retention) is re-sent after this long. */
export const REQUEUE_AFTER_MS = 10 * 60_000;
const BATCH = 500;
/** Batches per relay pass: a pass stays short even with a backlog (the next one goes on). */
const MAX_BATCHES = 10;

/**
 * The deterministic job key: one live job per notification row (a row is one person, kind and
 * appointment version). By id, not by those fields: a change that tells nobody carries a row over
 * to the next version, and its job must keep its key.
 */
export const jobKey = (n: Pick<Notification, 'id'>) => `notification:${n.id}`;

const jobsFor = (rows: readonly Notification[]) => rows.map((row) => ({ notificationId: row.id, key: jobKey(row), startAfter: new Date(row.dueAt) }));

/**
 * Turns the changes the API recorded into their notifications (emails due now, reminders later),
 * each appointment's in order; returns how many changes. See `processPending`: a crash part-way
 * leaves a change unprocessed, and processing it again records nothing twice.
 */
export async function processChanges(db: Database, settings: NotificationSettings): Promise<number> {
  return db.fork().appointmentChanges.processPending(settings, CHANGES_PER_PASS);
}

/**
 * Moves newly recorded notifications due within the lookahead into the queue; returns how many rows
 * moved. The jobs are created before the rows are marked queued: a crash in between leaves the rows
 * pending, so they are relayed again, and their keys make that a no-op while the first jobs live.
 * Workers relaying at once take disjoint rows (see `relayDue`).
 */
export async function relayPending(db: Database, queue: Queue, now: Date): Promise<number> {
  let moved = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await db.fork().notifications.relayDue(new Date(now.getTime() + LOOKAHEAD_MS), BATCH, now, async (due) => {
      await queue.enqueue(jobsFor(due));
    });
    moved += rows;
    if (rows < BATCH) break;
  }
  return moved;
}

export interface SweepResult {
  readonly remindersCreated: number;
  readonly jobsRecreated: number;
}

/**
 * The periodic repair: records reminders that should exist and don't, one per lead time still
 * ahead (appointments booked before notifications existed, or changed lead times; never one with a
 * change still to process, whose reminders that change records), and re-sends the jobs of rows queued a while ago in case the
 * queue lost them (their keys make that a no-op when the job is still there).
 */
export async function sweep(db: Database, queue: Queue, settings: NotificationSettings, now: Date, logger: Logger): Promise<SweepResult> {
  // Two independent repairs: one failing must not keep the other from running.
  let remindersCreated = 0;
  try {
    const unreminded = await db.fork().notifications.unreminded(now, settings.reminderLeadMinutes, BATCH);
    for (const appointment of unreminded) {
      // The reminders already recorded are kept as they are (the outbox's key): only the missing ones are new.
      const planned = planReminders(appointment, reminderLeadsFor(appointment.reminderLeadMinutes, settings), now.getTime());
      remindersCreated += await db.fork().notifications.record(appointment.id, planned);
    }
  } catch (error) {
    logger.warn({ err: error }, 'sweep: recording missing reminders failed');
  }
  let jobsRecreated = 0;
  try {
    const stale = await db.fork().notifications.queuedDue(new Date(now.getTime() + LOOKAHEAD_MS), new Date(now.getTime() - REQUEUE_AFTER_MS), BATCH);
    jobsRecreated = await queue.enqueue(jobsFor(stale));
    await db.fork().notifications.markQueued(
      stale.map((row) => row.id),
      now,
    );
  } catch (error) {
    logger.warn({ err: error }, 'sweep: re-creating lost jobs failed');
  }
  return { remindersCreated, jobsRecreated };
}
