let statements = 0;

/**
 * One SQL statement for both engines, written with `?` placeholders (PostgreSQL's `$n` are derived
 * once), run by the runner (runner/) with its values bound. Its text never changes, so SQLite's
 * prepared statement is reused and PostgreSQL prepares it once per connection under `name`.
 * Column names are the tables' own.
 */
export class Statement<Row = never> {
  readonly sqlite: string;
  /** Null: nothing to run on PostgreSQL (a step only SQLite needs). */
  readonly postgresql: string | null;
  /** PostgreSQL prepares it under this name, once per connection. */
  readonly name = `statement_${++statements}`;
  /** Carries the row type only; never read. */
  declare readonly row: Row;

  /** `postgresql`: where the engines' SQL differs, PostgreSQL's text (also with `?` placeholders). */
  constructor(sql: string, postgresql: string | null = sql) {
    this.sqlite = sql;
    let n = 0;
    this.postgresql = postgresql === null ? null : postgresql.replace(/\?/g, () => `$${++n}`);
  }
}

/** A statement and the values it binds, in its placeholders' order: `sql.run(...query)`. */
export type Query<Row = never> = readonly [statement: Statement<Row>, values: readonly unknown[]];

/**
 * Statements of one shape by a key (the rows of a multi-row insert, the filters a list was given),
 * each built on first use and then kept. Key spaces are small and fixed by the code, so nothing
 * evicts a statement that PostgreSQL connections have prepared under its name.
 */
export function statementsBy<K, Row>(build: (key: K) => Statement<Row>): (key: K) => Statement<Row> {
  const built = new Map<K, Statement<Row>>();
  return (key) => {
    let statement = built.get(key);
    if (!statement) built.set(key, (statement = build(key)));
    return statement;
  };
}

/** `text` `count` times, comma-separated: the rows of a multi-row VALUES. */
export function repeated(count: number, text: string): string {
  return Array.from({ length: count }, () => text).join(', ');
}
