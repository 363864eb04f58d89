// Generates the next migration for both dialects from the difference between the entities and a
// fresh database with every existing migration applied. Usage:
//   pnpm --filter @appointments/db migration:create <name>
// Then list the two new classes in src/migrations/index.ts and read the SQL before committing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from '../src/database.ts';
import { testTargets } from '@appointments/testkit/db';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/i.test(name)) {
  console.error('usage: migration:create <name>   (letters, digits, underscores)');
  process.exit(2);
}
// One timestamp for both dialects, so the pair shares a class name.
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

for (const dialect of ['sqlite', 'postgresql'] as const) {
  const scratch = await testTargets[dialect]();
  const options = ormOptions(scratch.target);
  const orm = await MikroORM.init({ ...options, migrations: { ...options.migrations, fileName: () => `Migration${stamp}_${name}` } });
  try {
    await orm.migrator.up();
    const dir = join(import.meta.dirname, '..', 'src', 'migrations', dialect);
    const result = await orm.migrator.create(dir, false, false, name);
    if (result.fileName) {
      // MikroORM names the class from its own clock, which can be a second off the file name.
      const file = join(dir, result.fileName);
      const className = result.fileName.replace(/\.ts$/, '');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/class Migration\w+/, `class ${className}`).replace(/\n {2}override name = '[^']*';\n/, '\n'));
    }
    console.log(result.fileName ? `${dialect}: wrote ${result.fileName}` : `${dialect}: entities and migrations already match`);
  } finally {
    await orm.close(true);
    await scratch.drop();
  }
}
