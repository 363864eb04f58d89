import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const SRC = import.meta.dirname;

/** Every source file of the package (tests aside) and the files it imports or re-exports relatively, types included. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  return new Map(
    files.map((file) => {
      const source = readFileSync(join(SRC, file), 'utf8');
      const targets = [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom '(\.{1,2}\/[^']+)'/gms)].map(([, path]) => relative(SRC, resolve(SRC, dirname(file), path!)));
      return [file, targets];
    }),
  );
}

/** One import circle per file that starts one, as the files along it. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]) => {
    const at = path.indexOf(file);
    if (at >= 0) return void found.push([...path.slice(at), file]);
    if (done.has(file)) return;
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

it('packages/db has no import circles, type-only imports included', () => {
  const graph = importGraph();
  expect(graph.get('appointments/booking.ts')).toContain('sql/booking.postgresql.ts'); // the scan reads imports
  expect(circles(graph)).toEqual([]);
});
