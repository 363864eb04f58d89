import {
  outboxEffect,
  reminderLeadsFor,
  type AppointmentChange,
  type ChangedFields,
  type Instant,
  type NotificationSettings,
  type RecordedChange,
} from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import { fromJson, read, toInstant, toInstantOrNull, type Runner } from '../runner/index.ts';
import { CLAIM_CHANGES, changeList, changeRecord, MARK_PROCESSED, PRUNE_PROCESSED, type AppointmentChangeRow, type ClaimedChangeRow } from '../sql/appointment-changes.ts';
import { CARRY_OVER, DROP_SUPERSEDED, recordOutbox } from '../sql/notifications.ts';
import type { Query } from '../sql/statement.ts';
import { fanOutChanges } from './change-webhooks.ts';

/** One change to an appointment, as recorded with it (RecordedChange, less the parties, which are its appointment's). */
export type RecordedAppointmentChange = Omit<RecordedChange, 'clientId' | 'staffId'> & {
  readonly id: number;
  readonly appointmentId: number;
  /** Null until the worker has turned it into emails. */
  readonly processedAt: Instant | null;
  /** What else of the appointment it left; null on changes recorded before states were. */
  readonly state: ChangedFields | null;
};

export type NewAppointmentChange = Omit<RecordedAppointmentChange, 'id' | 'processedAt' | 'state'> & { readonly state: ChangedFields };

/** Changes taken per transaction. */
const BATCH = 500;

function changeOf(row: AppointmentChangeRow): AppointmentChange {
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details;
  return { ...details, kind: row.kind } as AppointmentChange;
}

function toRecordedChange(row: AppointmentChangeRow): RecordedAppointmentChange {
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    sequence: row.sequence,
    start: toInstant(row.start_at),
    change: changeOf(row),
    state: typeof row.state === 'string' ? (JSON.parse(row.state) as ChangedFields) : row.state,
    at: toInstant(row.at),
    processedAt: toInstantOrNull(row.processed_at),
  };
}

/**
 * What processing one change writes (outboxEffect): unsent notifications of older versions dropped
 * and the planned ones recorded, or what the version before had carried over. The notifications'
 * own key (appointment, kind, version, person, lead time: a change is its appointment's version) makes a
 * second recording of one change's emails add nothing.
 */
function processing(row: ClaimedChangeRow, settings: NotificationSettings, now: Date): Query[] {
  const { appointment_id: appointmentId, sequence } = row;
  const leads = reminderLeadsFor(fromJson(row.reminder_lead_minutes), settings);
  const effect = outboxEffect({ ...toRecordedChange(row), clientId: row.client_id, staffId: row.staff_id }, leads);
  if (effect.kind === 'carry_over') return [[CARRY_OVER, [sequence, now, appointmentId, effect.from]]];
  return [
    [DROP_SUPERSEDED, [`superseded by sequence ${sequence}`, now, appointmentId, sequence]],
    ...(effect.planned.length === 0 ? [] : [recordOutbox(appointmentId, effect.planned, now)]),
  ];
}

/** A claimed batch's writes: each change's, then all of them marked processed. */
function batchWrites(rows: readonly ClaimedChangeRow[], settings: NotificationSettings, now: Date): Query[] {
  if (rows.length === 0) return [];
  return [...rows.flatMap((row) => processing(row, settings, now)), [MARK_PROCESSED, [now, rows.map((row) => row.id)]]];
}

/**
 * The outbox of changes: every booking and change records one, in its own transaction (the
 * booking's in its one statement); the worker turns them into notifications (`processPending`).
 */
export class AppointmentChangeRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async record(change: NewAppointmentChange): Promise<void> {
    await this.#sql.run(...changeRecord(change.appointmentId, change.sequence, change.change, { ...change.state, start: change.start }, change.at));
  }

  /** Deletes changes processed before `before` (their emails are recorded); how many. Unprocessed ones always stay. */
  async pruneProcessed(before: Date): Promise<number> {
    return this.#sql.deleteInBatches(PRUNE_PROCESSED, [before]);
  }

  /** Oldest first. */
  async list(filter: { readonly appointmentId?: number } & PageStart): Promise<Page<RecordedAppointmentChange>> {
    return pageOf((await this.#sql.run(...changeList.page(filter))).rows, filter.limit, toRecordedChange);
  }

  async count(filter: { readonly appointmentId?: number } = {}): Promise<number> {
    return Number((await this.#sql.run(...changeList.count(filter))).rows[0]!.total);
  }

  /**
   * Turns up to `limit` unprocessed changes into notifications and webhook deliveries, oldest
   * first; how many. Each batch is one transaction that writes a change's notifications and
   * deliveries and marks it processed together, so a crash in between leaves all undone. An appointment's changes apply in order: a change waits
   * for the batch after the one that took the change before it. On PostgreSQL workers running at
   * once take disjoint changes (FOR UPDATE SKIP LOCKED); on SQLite a batch holds the write lock
   * from its first read (BEGIN IMMEDIATE), so its statements run synchronously.
   */
  async processPending(settings: NotificationSettings, limit: number): Promise<number> {
    let processed = 0;
    while (processed < limit) {
      const claimed = await this.#processBatch(settings, Math.min(BATCH, limit - processed));
      if (claimed === 0) break;
      processed += claimed;
    }
    return processed;
  }

  async #processBatch(settings: NotificationSettings, limit: number): Promise<number> {
    const now = new Date();
    return this.#sql.program(function* () {
      const rows = yield* read([CLAIM_CHANGES, [limit]]);
      for (const query of batchWrites(rows, settings, now)) yield* read(query);
      yield* fanOutChanges(rows, now);
      return rows.length;
    });
  }
}
