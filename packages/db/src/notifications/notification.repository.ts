import { LockMode, raw, type EntityData, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { SqlitePlatform, type SqlEntityManager } from '@mikro-orm/sqlite';
import type { NotificationDetails, NotificationKind, NotificationStatus, NotifiedAppointment, PlannedNotification } from '@appointments/domain';
import { AppointmentEntity } from '../appointments/appointment.entity.ts';
import type { Page } from '../users/user.repository.ts';
import { deleteInBatches, execute, Statement } from '../raw-sql.ts';
import { DELIVERABLE, deliverableFromRow, type Deliverable } from './deliverable.ts';
import { insertOutbox, outboxValues } from './outbox-insert.ts';
import { NotificationEntity } from './notification.entity.ts';

export interface Notification {
  readonly id: number;
  readonly appointmentId: number;
  readonly recipientId: number;
  readonly kind: NotificationKind;
  readonly sequence: number;
  readonly status: NotificationStatus;
  readonly dueAt: Date;
  readonly details: NotificationDetails;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly queuedAt: Date | null;
  readonly sentAt: Date | null;
  readonly messageId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NotificationFilter {
  readonly status?: NotificationStatus;
  readonly appointmentId?: number;
  readonly offset: number;
  readonly limit: number;
}

/** A scheduled appointment whose current version has no reminder recorded. */
export type UnremindedAppointment = NotifiedAppointment & { readonly id: number };

/** Errors are kept short: enough to diagnose, never a whole SMTP transcript. */
const MAX_ERROR = 2000;
const OPEN: NotificationStatus[] = ['pending', 'queued'];

/** Once per email sent, so raw and prepared like DELIVERABLE. */
const MARK_SENT = new Statement<never>("update notifications set status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, updated_at = ? where id = ? and status <> 'sent'");

/**
 * Finished rows (sent, or dropped as superseded) due before a cutoff, a bounded batch at a time
 * (deleteInBatches). Failed rows stay: they are the dead-letter queue, until an admin retries them.
 */
const PRUNE_FINISHED = new Statement<never>(
  "delete from notifications where id in (select id from notifications where status in ('sent', 'dropped') and due_at < ? limit ?)",
);

function toNotification(entity: NotificationEntity): Notification {
  return {
    id: entity.id,
    appointmentId: entity.appointment.id,
    recipientId: entity.recipient.id,
    kind: entity.kind,
    sequence: entity.sequence,
    status: entity.status,
    dueAt: entity.dueAt,
    details: entity.details,
    attempts: entity.attempts,
    lastError: entity.lastError ?? null,
    queuedAt: entity.queuedAt ?? null,
    sentAt: entity.sentAt ?? null,
    messageId: entity.messageId ?? null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/** The outbox. Every state change is one conditional UPDATE, so racing workers cannot undo each other. */
export class NotificationRepository {
  readonly #em: SqlEntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em as SqlEntityManager;
  }

  /** Records what a change made due; a row already recorded (same appointment, kind, version, person) is kept as it is. */
  async record(appointmentId: number, planned: readonly PlannedNotification[]): Promise<void> {
    if (planned.length === 0) return;
    await execute(this.#em, insertOutbox(planned.length), outboxValues(appointmentId, planned, new Date()));
  }

  /** Unsent notifications about versions older than `sequence` will never be true again. */
  async dropSuperseded(appointmentId: number, sequence: number): Promise<number> {
    return this.#update(
      { appointment: appointmentId, sequence: { $lt: sequence }, status: { $in: OPEN } },
      { status: 'dropped', lastError: `superseded by sequence ${sequence}` },
    );
  }

  /**
   * A change that tells nobody (notes, marking) still raises the appointment's version: what was
   * recorded for the version before (sent or not) stays true, so it moves along, and reminders are
   * neither dropped as stale nor recorded again by the sweep.
   */
  async carryOver(appointmentId: number, from: number, to: number): Promise<number> {
    return this.#update({ appointment: appointmentId, sequence: from }, { sequence: to });
  }

  async findById(id: number): Promise<Notification | null> {
    const entity = await this.#em.findOne(NotificationEntity, { id }, { refresh: true });
    return entity && toNotification(entity);
  }

  /** The notification, its appointment and both parties as they are now, in one query (one per email sent). */
  async findDeliverable(id: number): Promise<Deliverable | null> {
    const [row] = (await execute(this.#em, DELIVERABLE, [id])).rows;
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
    const relay = async (em: SqlEntityManager, lock: { lockMode?: LockMode.PESSIMISTIC_PARTIAL_WRITE }) => {
      const entities = await em.find(NotificationEntity, { status: 'pending', dueAt: { $lte: until } }, { orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], limit, ...lock });
      if (entities.length === 0) return 0;
      await enqueue(entities.map(toNotification));
      const ids = entities.map((entity) => entity.id);
      await this.#update({ id: { $in: ids }, status: { $in: OPEN } }, { status: 'queued', queuedAt: at }, em);
      return entities.length;
    };
    if (this.#em.getPlatform() instanceof SqlitePlatform) return relay(this.#em, {});
    return this.#em.transactional((em) => relay(em, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE }));
  }

  /** Queued before `queuedBefore` and due by `until`: their jobs are re-sent in case the queue lost them. */
  async queuedDue(until: Date, queuedBefore: Date, limit: number): Promise<Notification[]> {
    return this.#due('queued', until, limit, { queuedAt: { $lt: queuedBefore } });
  }

  /** Notes that jobs exist for these (again); only rows still open move. */
  async markQueued(ids: readonly number[], at: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return this.#update({ id: { $in: [...ids] }, status: { $in: OPEN } }, { status: 'queued', queuedAt: at });
  }

  /** The SMTP server accepted it. Recorded whatever the row said meanwhile: it was sent. */
  async markSent(id: number, at: Date, messageId: string | null): Promise<boolean> {
    return (await execute(this.#em, MARK_SENT, [at, messageId, new Date(), id])).affected > 0;
  }

  /** The appointment moved on; false if it was no longer open. */
  async markDropped(id: number, reason: string): Promise<boolean> {
    return (await this.#update({ id, status: { $in: OPEN } }, { status: 'dropped', lastError: reason.slice(0, MAX_ERROR) })) > 0;
  }

  /** One sending attempt failed; the queue retries it. */
  async recordFailure(id: number, error: string): Promise<void> {
    await this.#update({ id, status: { $in: OPEN } }, { attempts: raw('attempts + 1'), lastError: error.slice(0, MAX_ERROR) });
  }

  /** Retries ran out (the job reached the dead-letter queue). */
  async markFailed(id: number, error: string | null): Promise<boolean> {
    const set: EntityData<NotificationEntity> = { status: 'failed' };
    if (error !== null) set.lastError = error.slice(0, MAX_ERROR);
    return (await this.#update({ id, status: { $in: OPEN } }, set)) > 0;
  }

  /** An admin's retry of a failed notification: pending again, due now. Null unless it had failed. */
  async retry(id: number, now: Date): Promise<Notification | null> {
    if ((await this.#update({ id, status: 'failed' }, { status: 'pending', dueAt: now, queuedAt: null })) === 0) return null;
    return this.findById(id);
  }

  /** Newest first. */
  async list(filter: NotificationFilter): Promise<Page<Notification>> {
    const where: FilterQuery<NotificationEntity> = {};
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.appointmentId !== undefined) where.appointment = filter.appointmentId;
    const [entities, total] = await this.#em.findAndCount(NotificationEntity, where, { orderBy: { id: 'desc' }, offset: filter.offset, limit: filter.limit });
    return { items: entities.map(toNotification), total };
  }

  /**
   * Deletes sent or dropped notifications due before `dueBefore`; how many it deleted. Nothing
   * records them again: reminders are re-recorded only for appointments still to come.
   */
  async pruneFinished(dueBefore: Date): Promise<number> {
    return deleteInBatches(this.#em, PRUNE_FINISHED, [dueBefore]);
  }

  /**
   * Scheduled appointments starting after `startsAfter` whose current version has no reminder
   * recorded (booked before notifications existed, or the lead time was changed), by start.
   */
  async unreminded(startsAfter: Date, limit: number): Promise<UnremindedAppointment[]> {
    const rows = await this.#em
      .createQueryBuilder(AppointmentEntity, 'a')
      .select(['id', 'client', 'staff', 'startAt', 'status', 'sequence'])
      .where({ status: 'scheduled', startAt: { $gt: startsAfter } })
      .andWhere(`not exists (select 1 from notifications n where n.appointment_id = a.id and n.kind = 'reminder' and n.sequence = a.sequence)`)
      .orderBy({ startAt: 'asc', id: 'asc' })
      .limit(limit)
      .getResultList();
    return rows.map((a) => ({ id: a.id, clientId: a.client.id, staffId: a.staff.id, start: a.startAt.getTime(), status: a.status, sequence: a.sequence }));
  }

  async #due(status: NotificationStatus, until: Date, limit: number, extra: FilterQuery<NotificationEntity> = {}): Promise<Notification[]> {
    const entities = await this.#em.find(
      NotificationEntity,
      { status, dueAt: { $lte: until }, ...(extra as object) },
      { orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], limit },
    );
    return entities.map(toNotification);
  }

  async #update(where: FilterQuery<NotificationEntity>, set: EntityData<NotificationEntity>, em: SqlEntityManager = this.#em): Promise<number> {
    // A native UPDATE skips the onUpdate hook, hence updatedAt here.
    return em.nativeUpdate(NotificationEntity, where, { ...set, updatedAt: new Date() });
  }
}
