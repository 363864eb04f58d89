import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

/**
 * PostgreSQL settings for the embedded queue, whose one connection serves one worker and whose
 * tables hold a few days of jobs: PostgreSQL's defaults (128 MB of shared buffers, room for 100
 * connections) sit resident in the WASM heap for nothing. Given at every start, so a queue created
 * with the defaults gets them too, and to initdb, so a new one is created with them.
 */
const SETTINGS = ['shared_buffers=8MB', 'max_connections=10', 'maintenance_work_mem=8MB'].flatMap((setting) => ['-c', setting]);
const OPTIONS = { startParams: [...PGlite.defaultStartParams, ...SETTINGS], initDbStartParams: SETTINGS };

/**
 * A new queue's data directory, as the installed PGlite's initdb makes it (`pnpm --filter
 * @appointments/worker pglite-template` writes it; pglite.test.ts checks it is current). Unpacked
 * instead of running initdb in the worker: PGlite's initdb works in two more 128 MB WebAssembly
 * heaps beside its own, which made a first start the worker's peak by far.
 */
export const TEMPLATE = fileURLToPath(new URL('./pglite-template.tar.gz', import.meta.url));

/**
 * Keeps PostgreSQL's WebAssembly on V8's baseline compiler. Its optimizing compiler, which V8 runs
 * on code that gets hot, takes hundreds of megabytes to compile a few of PostgreSQL's largest
 * functions (the worker's peak and much of what it kept), and makes the queue no faster. Flags
 * only this process's WebAssembly compiled from now on; set here so that every way of starting the
 * worker gets it. Checked by memory.test.ts.
 */
function baselineWasmOnly(): void {
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--no-wasm-tier-up');
}

/**
 * Unpacks the template into `dir` (PGlite's own loadDataDir holds the archive several times over).
 * PG_VERSION, which marks a data directory, is written last: an interrupted unpack is redone.
 */
function unpackTemplate(dir: string): void {
  const tar = gunzipSync(readFileSync(TEMPLATE));
  const field = (offset: number, length: number) => tar.toString('utf8', offset, offset + length).replace(/\0.*$/s, '');
  let last: [string, Buffer] | undefined;
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const path = join(dir, field(at + 345, 155), field(at, 100));
    const size = Number.parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    if (relative(dir, path).startsWith('..')) throw new Error(`the PGlite template has an entry outside its directory: ${path}`);
    const data = tar.subarray(at + 512, at + 512 + size);
    if (type === '5') mkdirSync(path, { recursive: true, mode: 0o700 });
    else if (type === '0' || type === '') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      if (relative(dir, path) === 'PG_VERSION') last = [path, data];
      else writeFileSync(path, data, { mode: 0o600 });
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  if (!last) throw new Error('the PGlite template has no PG_VERSION');
  writeFileSync(last[0], last[1], { mode: 0o600 });
}

/** The embedded PostgreSQL in `dir`, created from the template on first use. */
export function openPglite(dir: string): Promise<PGlite> {
  baselineWasmOnly();
  if (!existsSync(join(dir, 'PG_VERSION'))) unpackTemplate(dir);
  return PGlite.create(dir, OPTIONS);
}

/** Runs initdb in `dir` (empty or missing), as the template was made. */
export function initdbPglite(dir: string): Promise<PGlite> {
  baselineWasmOnly();
  return PGlite.create(dir, OPTIONS);
}

/** Writes a new template from the installed PGlite's initdb. */
export async function writeTemplate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-template-'));
  try {
    const pglite = await initdbPglite(dir);
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    writeFileSync(TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
