import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

/**
 * PostgreSQL settings for the embedded queue, whose one connection serves one worker and whose
 * tables hold a few days of jobs: PostgreSQL's defaults (128 MB of shared buffers, room for 100
 * connections) sit resident in the WASM heap for nothing. Given at every start, so a queue created
 * with the defaults gets them too, and to initdb, so a new one is created with them.
 */
const SETTINGS = ['shared_buffers=8MB', 'max_connections=10', 'maintenance_work_mem=8MB'].flatMap((setting) => ['-c', setting]);

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

/** The embedded PostgreSQL in `dir` (created on first use). */
export function openPglite(dir: string): Promise<PGlite> {
  baselineWasmOnly();
  return PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, ...SETTINGS], initDbStartParams: SETTINGS });
}
