import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
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

it("the README's curl walk-through runs as written against a live API", async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  const api = spawn(process.execPath, [join(root, 'apps/api/src/main.ts')], {
    cwd,
    env: { PATH, PORT: '0', LOG_LEVEL: 'info', ...admin },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(async () => {
    if (api.exitCode === null) {
      api.kill('SIGTERM');
      await once(api, 'exit');
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: api.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'API listening') resolve(entry.url!);
    });
    api.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });

  const output = await new Promise<string>((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', walkthrough()], { cwd, env: { PATH, API: url, ...admin }, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`walk-through failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
  });
  // Slots were listed, the booking moved, and the history ends with the cancellation.
  expect(output).toMatch(/"start_time":"\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z"/);
  expect(output).toMatch(/"status":"scheduled","sequence":1/);
  expect(output).toMatch(/"action":"rescheduled".*"action":"cancelled"/s);
  const ics = readFileSync(join(cwd, 'appointment.ics'), 'utf8');
  expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(ics).toContain('SEQUENCE:1\r\n');
}, 90_000);
