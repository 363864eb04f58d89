// `pnpm seed:demo`: fills the database `pnpm start` uses (same .env, DATA_DIR, DATABASE_URL) with a demo.
import { Database, type DatabaseTarget } from '@appointments/db';
import { exitOnConfigError } from '@appointments/runtime';
import { loadEnv, policiesFrom } from '../env.ts';
import { DEMO_ADMIN, DEMO_CLIENTS, DEMO_PASSWORDS, DEMO_STAFF } from './data.ts';
import { seedDemo, type SeedResult } from './seed.ts';

const env = exitOnConfigError(loadEnv);

/** Where the data went, without a password from the URL. */
function describe(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `SQLite ${target.path}`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

function report(result: SeedResult): string {
  const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  const api = `http://${host}:${env.PORT}`;
  const width = Math.max(...result.accounts.map((a) => a.email.length));
  const login = JSON.stringify({ username: DEMO_ADMIN.email, password: DEMO_PASSWORDS.admin });
  return [
    result.created
      ? `Demo created in ${describe(env.database)}: ${DEMO_STAFF.length} staff, ${DEMO_CLIENTS.length} clients, ${result.services} services (one a group class), ${result.appointments} appointments.`
      : `The demo is already in ${describe(env.database)} (${DEMO_ADMIN.email} exists): nothing added.`,
    'Accounts (public demo passwords: never use them on a real system):',
    ...result.accounts.map((a) => `  ${a.role.padEnd(6)} ${a.email.padEnd(width)}  ${a.password.padEnd(20)}  ${a.fullName}, ${a.timezone}`),
    `Log in: start the API (pnpm start), open ${api}/docs and use "Authorize" with an email and password above, or`,
    `  curl -s ${api}/api/v1/auth/login -H 'content-type: application/json' -d '${login}'`,
  ].join('\n');
}

if (env.NODE_ENV === 'production') {
  // An admin with a published password must never reach a real deployment.
  console.error('Refusing to seed demo accounts with public passwords while NODE_ENV=production.');
  process.exit(1);
}

let db: Database | undefined;
try {
  db = await Database.open(env.database);
  console.log(report(await seedDemo(db, policiesFrom(env))));
} catch (error) {
  console.error(`Demo seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db?.close();
}
