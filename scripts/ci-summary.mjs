// Sums every vitest JSON report in the repo into the one line CI reads: "N passed, N failed, N skipped".
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = ['scripts', ...['apps', 'packages'].flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(dir, name)))]
  .map((dir) => join(root, dir, 'test-results', 'vitest.json'))
  .flatMap((file) => {
    try {
      return [JSON.parse(readFileSync(file, 'utf8'))];
    } catch {
      return [];
    }
  });

const sum = (key) => reports.reduce((total, report) => total + (report[key] ?? 0), 0);
const passed = sum('numPassedTests');
// Suites that crashed before running count as failures too, so a broken file never looks green.
const failed = sum('numFailedTests') + reports.reduce((n, r) => n + (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length, 0);
const skipped = sum('numPendingTests') + sum('numTodoTests');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
