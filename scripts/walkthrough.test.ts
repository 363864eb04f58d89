import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it, onTestFinished } from 'vitest';

const root = join(import.meta.dirname, '..');
const admin = { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin-password-1' };
// `node` in the walk-through must be this Node (24), not whatever the system has first on PATH.
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

/** The README's walk-through block, verbatim. */
function walkthrough(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```bash\n(# walk-through\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README has no ```bash block starting with "# walk-through"');
  return block[1]!;
}

/** The API as `pnpm start` runs it in `cwd` (which may hold a .env), with exactly `env`; its URL. */
async function startApi(cwd: string, env: Record<string, string>): Promise<string> {
  const api = spawn(process.execPath, [join(root, 'apps/api/src/main.ts')], { cwd, env: { PATH, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  onTestFinished(async () => {
    if (api.exitCode === null) {
      api.kill('SIGTERM');
      await once(api, 'exit');
    }
  });
  return new Promise<string>((resolve, reject) => {
    createInterface({ input: api.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'API listening') resolve(entry.url!);
    });
    api.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
}

/** Runs the walk-through block in `cwd` with exactly `env` (and PATH): its exit code and output. */
function runWalkthrough(cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', walkthrough()], { cwd, env: { PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function expectCompleted(cwd: string, { code, stdout, stderr }: { code: number; stdout: string; stderr: string }): void {
  expect(code, stderr).toBe(0);
  expect(stderr).not.toMatch(/: HTTP \d{3} |no \w+ in /); // no step failed (the shell's own start-up may write here)
  // Slots were listed, the booking moved, and the history ends with the cancellation.
  expect(stdout).toMatch(/"start_time":"\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z"/);
  expect(stdout).toMatch(/"status":"scheduled","sequence":1/);
  expect(stdout).toMatch(/"action":"rescheduled".*"action":"cancelled"/s);
  // The directory shows the title; slots by service list who can take them; the booking by service, nobody named, got John.
  expect(stdout).toMatch(/"full_name":"John Staff","timezone":"Europe\/Berlin","title":"Senior consultant"/);
  expect(stdout).toMatch(/"staff_ids":\[\d+\]/);
  expect(stdout).toMatch(/"status":"scheduled","sequence":0,"client_id":\d+,"staff_id":\d+,"service_id":\d+,"client_name":"Jane Client","staff_name":"John Staff"/);
  const ics = readFileSync(join(cwd, 'appointment.ics'), 'utf8');
  expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(ics).toContain('SEQUENCE:1\r\n');
}

it("the README's curl walk-through runs as written against a live API", async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  const url = await startApi(cwd, admin);
  expectCompleted(cwd, await runWalkthrough(cwd, { API: url, ...admin }));
}, 90_000);

it('finds the admin in .env, as the API does, with a clean shell environment', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'walkthrough-env-'));
  writeFileSync(join(cwd, '.env'), `ADMIN_EMAIL=${admin.ADMIN_EMAIL}\nADMIN_PASSWORD="${admin.ADMIN_PASSWORD}"\nPROJECT_NAME="Appointment Scheduling System"\n`);
  const url = await startApi(cwd, {});
  expectCompleted(cwd, await runWalkthrough(cwd, { API: url }));
}, 90_000);

it('stops at the first failed step, showing the answer it got', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'walkthrough-fail-'));
  const url = await startApi(cwd, admin);
  const wrong = await runWalkthrough(cwd, { API: url, ADMIN_EMAIL: admin.ADMIN_EMAIL, ADMIN_PASSWORD: 'not-the-password' });
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr).toMatch(/POST \/api\/v1\/auth\/login: HTTP 401 \{"code":"AUTH\.INVALID_CREDENTIALS"/);
  expect(wrong.stdout).toBe(''); // nothing after the failed login ran
  const missing = await runWalkthrough(cwd, { API: url });
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toContain('set ADMIN_EMAIL and ADMIN_PASSWORD');
}, 90_000);
