/**
 * List paging benchmark, run on demand: `node bench/lists.bench.ts` (not part of `pnpm test`).
 *
 * The appointment list as its handler reads it (`repos.appointments.list`), on a small database and
 * on a large one side by side, per engine: the first page, a cursor page 90% deep, and the offset
 * page at the same depth for comparison; unfiltered (an admin's list) and one staff member's. Goal:
 * on the large database the first page and any cursor page within 2× of the small one. Then
 * EXPLAIN of the cursor pages on the large database: an index range in list order, no sort.
 *
 * Rows are bulk-loaded past the API, spread so that no guard would refuse them: `staff` staff
 * members, each with a 30-minute appointment every hour, and ten times as many clients, each at most
 * once an hour, no group seats, no daily caps. SQLite: one transaction of prepared inserts, through
 * every trigger. PostgreSQL: generate_series, with the exclusion constraint checking every row but
 * the triggers off (session_replication_role = replica): one statement bumping the same staff
 * member's schedule version thousands of times piles up row versions it must walk, which makes the
 * load quadratic.
 *
 * Options: --rows 1000000 (PostgreSQL, large) --sqlite-rows 1000000 --small 20000 --staff 200
 * --runs 40 --engine both|sqlite|postgresql.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Database, type AppointmentFilter } from '@appointments/db';
import { machineFacts, median, option, verdict } from './lib/machine.ts';
import { throwawayDatabase } from './lib/pg.ts';
import { loadSqlite } from './lib/sqlite.ts';

const HOUR = 3_600_000;
const BASE = Date.parse('2027-01-04T00:00:00Z');
const PAGE = 50;
const STAFF = option('staff', 200);
const CLIENTS = STAFF * 10;
const RUNS = option('runs', 40);
const SMALL = option('small', 20_000);
const ROWS = { postgresql: option('rows', 1_000_000), sqlite: option('sqlite-rows', 1_000_000) };
const ENGINE = option('engine', 'both');

type Engine = 'sqlite' | 'postgresql';

/** Row i (0-based): staff member i mod STAFF, client i mod CLIENTS, starting on hour ⌊i / STAFF⌋; its id is i + 1. */
const startOf = (i: number) => BASE + Math.floor(i / STAFF) * HOUR;

/** A store holding `rows` appointments; `open` connects the product's Database to it. */
interface Store {
  readonly target: Parameters<typeof Database.open>[0];
  explain(sql: string, values: unknown[]): Promise<string[]>;
  drop(): Promise<void>;
}

async function postgresStore(rows: number): Promise<Store> {
  const database = await throwawayDatabase('appointments_bench_lists');
  const target = { dialect: 'postgresql' as const, url: database.url };
  await (await Database.open(target)).close();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const user = (role: string, count: number) =>
    client.query(
      `insert into users (email, full_name, role, password_hash, is_active, timezone, no_show_count, completed_count, is_blocked, created_at, updated_at)` +
        ` select '${role}' || g || '@bench.example', '${role} ' || g, '${role}', 'x', true, 'UTC', 0, 0, false, now(), now() from generate_series(1, $1) g`,
      [count],
    );
  await user('staff', STAFF);
  await user('client', CLIENTS);
  // Staff are users 1..STAFF, clients the next CLIENTS (a fresh sequence).
  await client.query('set session_replication_role = replica');
  const BATCH = 100_000;
  for (let from = 0; from < rows; from += BATCH) {
    await client.query(
      `insert into appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, status, sequence, client_overlap_allowed, local_date, created_at, updated_at)` +
        ` select ${STAFF + 1} + i % ${CLIENTS}, 1 + i % ${STAFF}, s, s + interval '30 minutes', s, s + interval '30 minutes', 'scheduled', 0, false,` +
        ` to_char(s at time zone 'UTC', 'YYYY-MM-DD'), now(), now()` +
        ` from generate_series($1::int, $2::int) i, lateral (select to_timestamp($3::bigint / 1000.0 + (i / ${STAFF}) * 3600) as s) t order by i`,
      [from, Math.min(rows, from + BATCH) - 1, BASE],
    );
  }
  await client.query('set session_replication_role = default');
  await client.query('vacuum analyze appointments');
  return {
    target,
    async explain(sql, values) {
      let n = 0;
      const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql.replace(/\?/g, () => `$${++n}`)}`, values.map((v) => (v instanceof Date ? v.toISOString() : v)));
      return plan.map((row) => row['QUERY PLAN']);
    },
    async drop() {
      await client.end();
      await database.drop();
    },
  };
}

async function sqliteStore(rows: number): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'appointments-bench-lists-'));
  const target = { dialect: 'sqlite' as const, path: join(dir, 'bench.db') };
  await (await Database.open(target)).close();
  const SqliteDb = loadSqlite();
  const db = new SqliteDb(target.path);
  db.pragma('journal_mode = WAL');
  const user = db.prepare(
    'insert into users (email, full_name, role, password_hash, is_active, timezone, no_show_count, completed_count, is_blocked, created_at, updated_at) values (?, ?, ?, ?, 1, ?, 0, 0, 0, ?, ?)',
  );
  const appointment = db.prepare(
    'insert into appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, status, sequence, client_overlap_allowed, local_date, created_at, updated_at)' +
      " values (?, ?, ?, ?, ?, ?, 'scheduled', 0, 0, ?, ?, ?)",
  );
  const now = Date.now();
  db.exec('begin');
  for (let i = 1; i <= STAFF; i++) user.run(`staff${i}@bench.example`, `Staff ${i}`, 'staff', 'x', 'UTC', now, now);
  for (let i = 1; i <= CLIENTS; i++) user.run(`client${i}@bench.example`, `Client ${i}`, 'client', 'x', 'UTC', now, now);
  for (let i = 0; i < rows; i++) {
    const start = startOf(i);
    const end = start + 30 * 60_000;
    appointment.run(STAFF + 1 + (i % CLIENTS), 1 + (i % STAFF), start, end, start, end, new Date(start).toISOString().slice(0, 10), now, now);
  }
  db.exec('commit');
  db.exec('analyze');
  return {
    target,
    async explain(sql, values) {
      const plan = db.prepare(`explain query plan ${sql}`).all(...values.map((v) => (v instanceof Date ? v.getTime() : v))) as { detail: string }[];
      return plan.map((row) => row.detail);
    },
    async drop() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** 90% of the way into `count` rows, leaving a whole page after it. */
const deepIn = (count: number) => Math.min(Math.floor(count * 0.9), count - PAGE - 1);

/** The pages measured, as list filters for a database of `rows` rows: staff member 1 holds every STAFF-th row. */
function pages(rows: number): [string, AppointmentFilter][] {
  const deep = deepIn(rows);
  const staffDeep = deepIn(Math.ceil(rows / STAFF));
  // Staff member 1's k-th appointment is row k × STAFF.
  return [
    ['first page', { limit: PAGE }],
    ['cursor page at 90%', { limit: PAGE, after: [startOf(deep), deep + 1] }],
    ['offset page at 90%', { limit: PAGE, offset: deep }],
    ['staff: first page', { staffId: 1, limit: PAGE }],
    ['staff: cursor page at 90%', { staffId: 1, limit: PAGE, after: [startOf(staffDeep * STAFF), staffDeep * STAFF + 1] }],
    ['staff: offset page at 90%', { staffId: 1, limit: PAGE, offset: staffDeep }],
  ];
}

/** Median ms of `RUNS` reads of each page (after a warm-up), reading the rows it should. */
async function measure(database: Database, rows: number): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const [name, filter] of pages(rows)) {
    const read = async () => {
      const started = performance.now();
      const page = await database.fork().appointments.list(filter);
      const ms = performance.now() - started;
      if (page.items.length !== PAGE) throw new Error(`${name}: ${page.items.length} rows, expected ${PAGE}`);
      return ms;
    };
    for (let i = 0; i < 20; i++) await read();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await read());
    times.set(name, median(samples));
  }
  return times;
}

const COLUMNS = 'id, client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, client_overlap_allowed, service_id, occurrence, local_date, created_at, updated_at';
/** The cursor pages' SQL as packages/db/src/sql/clauses.ts builds it, to EXPLAIN. */
const CURSOR_SQL = {
  all: `select ${COLUMNS} from appointments where (start_at, id) > (?, ?) order by start_at, id limit ?`,
  staff: `select ${COLUMNS} from appointments where staff_id = ? and (start_at, id) > (?, ?) order by start_at, id limit ?`,
};

async function bench(engine: Engine): Promise<void> {
  const large = ROWS[engine];
  console.log(`\n## ${engine}: ${SMALL.toLocaleString('en')} vs ${large.toLocaleString('en')} appointments, ${STAFF} staff, ${CLIENTS} clients, page of ${PAGE}`);
  const open = engine === 'postgresql' ? postgresStore : sqliteStore;
  const results: Map<string, number>[] = [];
  let explained: string[][] = [];
  for (const rows of [SMALL, large]) {
    const loadStart = performance.now();
    const store = await open(rows);
    console.log(`loaded ${rows.toLocaleString('en')} rows in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
    const database = await Database.open(store.target, { migrate: false });
    try {
      results.push(await measure(database, rows));
      if (rows === large) {
        const deep = deepIn(rows);
        const staffDeep = deepIn(Math.ceil(rows / STAFF)) * STAFF;
        explained = [
          await store.explain(CURSOR_SQL.all, [new Date(startOf(deep)), deep + 1, PAGE + 1]),
          await store.explain(CURSOR_SQL.staff, [1, new Date(startOf(staffDeep)), staffDeep + 1, PAGE + 1]),
        ];
      }
    } finally {
      await database.close();
      await store.drop();
    }
  }
  const [small, big] = results as [Map<string, number>, Map<string, number>];
  console.log('| page | small (ms) | large (ms) | large / small | goal ≤ 2× |');
  console.log('|---|---|---|---|---|');
  for (const [name] of pages(SMALL)) {
    const ratio = big.get(name)! / small.get(name)!;
    const goal = name.includes('offset') ? '(comparison)' : verdict(ratio, '≤', 2);
    console.log(`| ${name} | ${small.get(name)!.toFixed(3)} | ${big.get(name)!.toFixed(3)} | ${ratio.toFixed(2)} | ${goal} |`);
  }
  for (const [label, plan] of [['every appointment', explained[0]!], ["one staff member's", explained[1]!]] as const) {
    const index = /appointments_\w+_index/.exec(plan.join('\n'))?.[0];
    const sorts = plan.some((line) => /\bSort\b|TEMP B-TREE/i.test(line));
    console.log(`EXPLAIN, cursor page of ${label}: ${index ? `a range of ${index}` : 'NO INDEX'}${sorts ? ', then a sort of the rows in that range' : ', in list order (no sort)'}`);
    for (const line of plan) console.log(`    ${line}`);
  }
}

console.log(`# List paging — ${machineFacts()}`);
for (const engine of ['sqlite', 'postgresql'] as const) if (ENGINE === 'both' || ENGINE === engine) await bench(engine);
