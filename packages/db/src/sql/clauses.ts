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

export interface ListQueries<Row> {
  readonly page: Query<Row>;
  readonly count: Query<{ readonly total: number | string }>;
}

/**
 * A page of `select … from …` in `orderBy` order, narrowed by the filters given, and the count of
 * every row they keep (for a page past the end too).
 */
export function pagedList<Row, F extends string>(
  select: string,
  from: string,
  orderBy: string,
  filters: readonly (readonly [field: F, condition: string])[],
): (filter: Partial<Record<F, unknown>> & { readonly offset: number; readonly limit: number }) => ListQueries<Row> {
  const conditions = optionalClauses(filters);
  const where = (key: number) => {
    const kept = conditions.clauses(key);
    return kept.length === 0 ? '' : ` where ${kept.join(' and ')}`;
  };
  const page = statementsBy((key: number) => new Statement<Row>(`select ${select} from ${from}${where(key)} order by ${orderBy} limit ? offset ?`));
  const count = statementsBy((key: number) => new Statement<{ readonly total: number | string }>(`select count(*) as total from ${from}${where(key)}`));
  return (filter) => {
    const key = conditions.key(filter);
    const values = conditions.values(filter);
    return { page: [page(key), [...values, filter.limit, filter.offset]], count: [count(key), values] };
  };
}
