import { optionalClauses } from './clauses.ts';
import { Statement, statementsBy, type Query } from './statement.ts';

export interface StaffProfileRow {
  readonly id: number;
  readonly full_name: string;
  readonly timezone: string;
  readonly title: string | null;
  readonly bio: string | null;
  /** JSON text on SQLite, parsed already on PostgreSQL; null (PostgreSQL) when they offer none. */
  readonly service_ids: string | number[] | null;
}

/** Who the directory lists: active staff members (of `users` as `table` names it). */
const listed = (table: string) => `${table}.role = 'staff' and ${table}.is_active = true`;

/**
 * A statement around a directory entry's columns, of `users` as `table` names it: its own fields
 * and the ids of the active services it offers, in one round trip (never the email, role flags or
 * counters). Only the aggregate's name differs between the engines.
 */
function withEntry(table: string, sql: (columns: string) => string): Statement<StaffProfileRow> {
  const offered = `from service_staff ss join services s on s.id = ss.service_id where ss.staff_id = ${table}.id and s.is_active = true`;
  const own = `${table}.id, ${table}.full_name, ${table}.timezone, ${table}.title, ${table}.bio`;
  return new Statement(
    sql(`${own}, (select json_group_array(ss.service_id order by ss.service_id) ${offered}) as service_ids`),
    sql(`${own}, (select json_agg(ss.service_id order by ss.service_id) ${offered}) as service_ids`),
  );
}

/** Values: limit, offset. By id. */
export const STAFF_PAGE = withEntry('u', (columns) => `select ${columns} from users u where ${listed('u')} order by u.id limit ? offset ?`);
/** Values: the last id read, limit. */
export const STAFF_PAGE_AFTER = withEntry('u', (columns) => `select ${columns} from users u where ${listed('u')} and u.id > ? order by u.id limit ?`);

export const STAFF_PROFILE = withEntry('u', (columns) => `select ${columns} from users u where u.id = ? and ${listed('u')}`);

const CHANGES = optionalClauses([
  ['title', 'title = ?'],
  ['bio', 'bio = ?'],
]);
const UPDATE = statementsBy((changed: number) =>
  withEntry('users', (columns) => `update users set ${['updated_at = ?', ...CHANGES.clauses(changed)].join(', ')} where id = ? and ${listed('users')} returning ${columns}`),
);

/** Sets the fields given (null clears one) of a listed staff member; no row for anyone else. */
export function staffProfileUpdate(id: number, changes: Parameters<typeof CHANGES.key>[0], now: Date): Query<StaffProfileRow> {
  return [UPDATE(CHANGES.key(changes)), [now, ...CHANGES.values(changes), id]];
}
