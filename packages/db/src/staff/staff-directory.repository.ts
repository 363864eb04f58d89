import type { StaffProfile } from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import type { Runner } from '../runner/index.ts';
import { STAFF_PAGE, STAFF_PAGE_AFTER, STAFF_PROFILE, staffProfileUpdate, type StaffProfileRow } from '../sql/staff.ts';

/** What a staff member (or an admin) may change of their directory entry; absent stays, null clears. */
export interface StaffProfileChanges {
  readonly title?: string | null | undefined;
  readonly bio?: string | null | undefined;
}

function toProfile(row: StaffProfileRow): StaffProfile {
  const serviceIds = typeof row.service_ids === 'string' ? (JSON.parse(row.service_ids) as number[]) : (row.service_ids ?? []);
  return { id: row.id, fullName: row.full_name, timezone: row.timezone, title: row.title, bio: row.bio, serviceIds };
}

/**
 * The public staff directory: active staff members only, read by statements of its own, so the
 * user row every request reads stays lean. Everything it returns is plain data.
 */
export class StaffDirectoryRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /** By id, after a row's id (keyset) or at an offset. */
  async list({ limit, offset, after }: PageStart): Promise<Page<StaffProfile>> {
    const { rows } = after ? await this.#sql.run(STAFF_PAGE_AFTER, [after[0], limit + 1]) : await this.#sql.run(STAFF_PAGE, [limit + 1, offset ?? 0]);
    return pageOf(rows, limit, toProfile);
  }

  /** Null unless `id` is an active staff member. */
  async findById(id: number): Promise<StaffProfile | null> {
    const [row] = (await this.#sql.run(STAFF_PROFILE, [id])).rows;
    return row ? toProfile(row) : null;
  }

  /** The entry as changed; null (nothing written) unless `id` is an active staff member. */
  async update(id: number, changes: StaffProfileChanges): Promise<StaffProfile | null> {
    if (changes.title === undefined && changes.bio === undefined) return this.findById(id);
    const [row] = (await this.#sql.run(...staffProfileUpdate(id, changes, new Date()))).rows;
    return row ? toProfile(row) : null;
  }
}
