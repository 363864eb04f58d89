import type { Instant } from '@appointments/domain';
import postgresDate from 'postgres-date';

// CommonJS exporting the parser itself, which its types declare as a default export.
const parsePostgresDate = postgresDate as unknown as (text: string) => Date;

/**
 * Values as each engine stores them, as MikroORM does: SQLite keeps datetimes as epoch
 * milliseconds and booleans as 0/1; PostgreSQL gets datetimes as ISO text. A list binds as a
 * PostgreSQL array (`= any(?::int[])`) and, on SQLite, as JSON text (`in (select value from json_each(?))`).
 */
export function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) return JSON.stringify(value);
  return value;
}

const ISO_FROM = Date.parse('0001-01-01T00:00:00Z');
const ISO_UNTIL = Date.parse('+010000-01-01T00:00:00Z');
/**
 * Datetimes as ISO text, cheaper than node-postgres' own formatting (a booking sends 16).
 * Outside years 1–9999 toISOString's form ('+275760-…') is not PostgreSQL's: node-postgres formats those.
 */
export function toPostgresql(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  const time = value.getTime();
  return time >= ISO_FROM && time < ISO_UNTIL ? value.toISOString() : value;
}

/**
 * A datetime column as read: epoch milliseconds (SQLite) or PostgreSQL's timestamptz text, which
 * MikroORM's pool leaves unparsed and Date misreads outside years 100–9999; JSON output (json_agg)
 * carries ISO 8601 text instead, with its `T`. Read as MikroORM's own platform reads them.
 */
export function toDate(value: unknown): Date {
  if (typeof value !== 'string') return value instanceof Date ? value : new Date(value as number);
  return value.includes('T') ? new Date(value) : parsePostgresDate(value);
}

/** A datetime column as the domain's records carry it: epoch milliseconds. */
export function toInstant(value: unknown): Instant {
  return toDate(value).getTime();
}

/** A JSON column as read: parsed on PostgreSQL (jsonb), text on SQLite. */
export function fromJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** A nullable datetime column as an instant. */
export function toInstantOrNull(value: unknown): Instant | null {
  return value === null || value === undefined ? null : toInstant(value);
}

/** An instant to bind as a datetime, which toSqlite/toPostgresql store as each engine does; null and absent stay so. */
export function datetime<Missing extends null | undefined>(instant: Instant | Missing): Date | Missing {
  return instant === null || instant === undefined ? (instant as Missing) : new Date(instant);
}
