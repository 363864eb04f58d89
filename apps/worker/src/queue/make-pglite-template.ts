// Writes pglite-template.tar.gz from the installed PGlite: run after upgrading @electric-sql/pglite
// or changing the queue's PostgreSQL settings (pglite.test.ts fails until then).
import { TEMPLATE, writeTemplate } from './pglite.ts';

await writeTemplate();
process.stdout.write(`wrote ${TEMPLATE}\n`);
