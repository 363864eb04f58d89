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
// A file that failed without a failing test (import error, hook timeout) counts as one failure,
// so a broken suite never looks green.
const brokenFiles = reports
  .flatMap((report) => report.testResults ?? [])
  .filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')).length;
const failed = sum('numFailedTests') + brokenFiles;
const skipped = sum('numPendingTests') + sum('numTodoTests');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
