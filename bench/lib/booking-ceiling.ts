/**
 * The ceiling for booking: raw check-and-insert transactions against the same kind of database the
 * API uses, with nothing in between (no HTTP, no auth, no ORM). Run as its own process, like the
 * API; argv[2] is a JSON `CeilingConfig`. Prints one JSON line `{ msg: 'done', count, seconds, p50, p99, cpuUs }`.
 *
 * - sqlite: one connection (better-sqlite3, the driver MikroORM uses; WAL, synchronous=NORMAL):
 *   BEGIN IMMEDIATE; overlap SELECT bounded on both sides (the index's range); INSERT; COMMIT.
 * - postgresql: a pool of `concurrency` connections, each looping one INSERT that the exclusion
 *   constraint guards (no SELECT, no explicit transaction).
 */
import pg from 'pg';
import { loadSqlite } from './sqlite.ts';

export interface CeilingConfig {
  engine: 'sqlite' | 'postgresql';
  /** SQLite file path or PostgreSQL URL. */
  target: string;
  staffIds: number[];
  /** As many as staff members: slot n's client is the n-th, so no client is booked twice at one time. */
  clientIds: number[];
  /** Slot 0's start (ms); bookings are 30-minute slots from here, spread over the staff members. */
  base: number;
  /** The first slot number this run books (runs continue where the previous one stopped). */
  first: number;
  seconds: number;
  concurrency: number;
}

const MIN = 60_000;
const MAX_BUFFERED_SPAN_MS = 259_200_000; // the schema's check: no buffered interval is longer
const config = JSON.parse(process.argv[2]!) as CeilingConfig;

/** The n-th distinct free slot. */
function slot(i: number): { staffId: number; clientId: number; start: number; end: number } {
  const n = config.first + i;
  const staffId = config.staffIds[n % config.staffIds.length]!;
  const clientId = config.clientIds[n % config.clientIds.length]!;
  const start = config.base + Math.floor(n / config.staffIds.length) * 30 * MIN;
  return { staffId, clientId, start, end: start + 30 * MIN };
}

const latencies: number[] = [];
let count = 0;
const started = performance.now();
const deadline = started + config.seconds * 1000;

if (config.engine === 'sqlite') {
  const Database = loadSqlite();
  const db = new Database(config.target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const overlap = db.prepare(
    "SELECT 1 FROM appointments WHERE staff_id = ? AND status = 'scheduled' AND buffered_start > ? AND buffered_start < ? AND buffered_end > ? LIMIT 1",
  );
  const insert = db.prepare(
    "INSERT INTO appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, 'scheduled', 0, ?, ?)",
  );
  while (performance.now() < deadline) {
    const t0 = performance.now();
    const s = slot(count);
    begin.run();
    if (overlap.get(s.staffId, s.start - MAX_BUFFERED_SPAN_MS, s.end, s.start) !== undefined) throw new Error('slot unexpectedly taken');
    const now = Date.now();
    insert.run(s.clientId, s.staffId, s.start, s.end, s.start, s.end, now, now);
    commit.run();
    count++;
    latencies.push(performance.now() - t0);
  }
  db.close();
} else {
  const pool = new pg.Pool({ connectionString: config.target, max: config.concurrency });
  const sql =
    "INSERT INTO appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, created_at, updated_at) VALUES ($1, $2, $3, $4, $3, $4, NULL, 'scheduled', 0, now(), now())";
  let next = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (performance.now() < deadline) {
        const s = slot(next++);
        const t0 = performance.now();
        await pool.query({ name: 'book', text: sql, values: [s.clientId, s.staffId, new Date(s.start), new Date(s.end)] });
        count++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  await pool.end();
}

const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ msg: 'done', count, seconds, p50: at(0.5), p99: at(0.99), cpuUs: cpu.user + cpu.system }));
