import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ENV_VARIABLES as API_ENV_VARIABLES } from '../apps/api/src/env.ts';
import { ENV_VARIABLES as WORKER_ENV_VARIABLES } from '../apps/worker/src/env.ts';

/** The variables named in the first column of the README's configuration table. */
function documented(): Set<string> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
  return new Set(names);
}

it('the README configuration table lists exactly the variables the API and worker read', () => {
  const read = new Set([...API_ENV_VARIABLES, ...WORKER_ENV_VARIABLES]);
  const table = documented();
  expect([...read].filter((name) => !table.has(name)).sort(), 'read but not documented').toEqual([]);
  expect([...table].filter((name) => !read.has(name)).sort(), 'documented but read by nobody').toEqual([]);
});
