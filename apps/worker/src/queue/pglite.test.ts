import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, it } from 'vitest';
import { initdbPglite, openPglite } from './pglite.ts';

const root = mkdtempSync(join(tmpdir(), 'pglite-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const facts = async (pglite: PGlite) =>
  (await pglite.query(`SELECT (SELECT catalog_version_no FROM pg_control_system()) AS catalog, current_setting('server_version') AS version, current_setting('shared_buffers') AS buffers`)).rows[0];

it('creates a queue from a template the installed PGlite could have made (else: pnpm --filter @appointments/worker pglite-template)', async () => {
  const made = await initdbPglite(join(root, 'initdb'));
  const expected = await facts(made);
  await made.close();
  const unpacked = await openPglite(join(root, 'template'));
  expect(await facts(unpacked)).toEqual(expected);
  await unpacked.close();
  // Opened again: the unpacked directory is used as it is.
  const reopened = await openPglite(join(root, 'template'));
  expect(await facts(reopened)).toEqual(expected);
  await reopened.close();
}, 120_000);
