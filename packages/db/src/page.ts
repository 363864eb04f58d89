/**
 * Where a page starts: after the row with this key (its sort values, id last: the last row of the
 * page before), or at an offset.
 */
export interface PageStart<Key extends readonly unknown[] = readonly [id: number]> {
  readonly limit: number;
  readonly offset?: number;
  readonly after?: Key;
}

/** One page of a list and whether another follows (read as one row past the page, not counted). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly more: boolean;
}

/** A page of rows read up to `limit` + 1, as items. */
export function pageOf<Row, T>(rows: readonly Row[], limit: number, toItem: (row: Row) => T): Page<T> {
  return { items: rows.slice(0, limit).map(toItem), more: rows.length > limit };
}
