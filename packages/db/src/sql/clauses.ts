import type { PageStart } from '../page.ts';
import { Statement, statementsBy, type Query } from './statement.ts';

/**
 * Clauses that apply only when their field is given (a list's filters, an update's changes), each
 * binding that field's value: which were given, as one key (a bit per clause) for the statement
 * built for them, the clauses of a key, and the given values in clause order.
 */
export function optionalClauses<F extends string>(clauses: readonly (readonly [field: F, clause: string])[]) {
  type Given = Partial<Record<F, unknown>>;
  return {
    key: (given: Given) => clauses.reduce((key, [field], bit) => (given[field] === undefined ? key : key | (1 << bit)), 0),
    clauses: (key: number) => clauses.filter((_, bit) => key & (1 << bit)).map(([, clause]) => clause),
    values: (given: Given) => clauses.flatMap(([field]) => (given[field] === undefined ? [] : [given[field]])),
  };
}

type Filter<F extends string> = Partial<Record<F, unknown>>;

/**
 * Pages of `select … from …` in the order of `keys` (columns ending with a unique one, all
 * ascending or all descending), narrowed by the filters given, and the count of every row they
 * keep. A page after a row's key reads `(k, id) > (?, ?)` (`<` descending), a range of an index on
 * exactly `keys` whose cost does not grow with the position; a page at an offset skips that many
 * rows first. A page reads up to limit + 1 rows: the one past it says another page follows,
 * without counting.
 */
export function pagedList<Row, F extends string>(
  select: string,
  from: string,
  keys: { readonly columns: readonly string[]; readonly descending?: boolean },
  filters: readonly (readonly [field: F, condition: string])[],
) {
  const conditions = optionalClauses(filters);
  const [only] = keys.columns.length === 1 ? keys.columns : [];
  const after = only
    ? `${only} ${keys.descending ? '<' : '>'} ?`
    : `(${keys.columns.join(', ')}) ${keys.descending ? '<' : '>'} (${keys.columns.map(() => '?').join(', ')})`;
  const orderBy = keys.columns.map((column) => (keys.descending ? `${column} desc` : column)).join(', ');
  const where = (kept: readonly string[]) => (kept.length === 0 ? '' : ` where ${kept.join(' and ')}`);
  // Key: the filters' bits, then one more for a keyset page.
  const pages = statementsBy((key: number) => {
    const keyset = key & 1;
    const kept = [...conditions.clauses(key >> 1), ...(keyset ? [after] : [])];
    return new Statement<Row>(`select ${select} from ${from}${where(kept)} order by ${orderBy} limit ?${keyset ? '' : ' offset ?'}`);
  });
  const counts = statementsBy((key: number) => new Statement<{ readonly total: number | string }>(`select count(*) as total from ${from}${where(conditions.clauses(key))}`));
  return {
    page: (filter: Filter<F> & PageStart<readonly unknown[]>): Query<Row> => {
      const start = filter.after ? [...filter.after, filter.limit + 1] : [filter.limit + 1, filter.offset ?? 0];
      return [pages((conditions.key(filter) << 1) | (filter.after ? 1 : 0)), [...conditions.values(filter), ...start]];
    },
    count: (filter: Filter<F>): Query<{ readonly total: number | string }> => [counts(conditions.key(filter)), conditions.values(filter)],
  };
}
