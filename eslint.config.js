// @ts-check
import tseslint from 'typescript-eslint';

const processEnvRule = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: "Read configuration in the app's env.ts (validated by zod), not here." },
  ],
};

const appsApart = { group: ['@appointments/api', '@appointments/worker', '@appointments/client'], message: 'Apps never import each other; share through packages/*.' };

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/test-results/**', '**/.turbo/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      ...processEnvRule,
    },
  },
  {
    // The places allowed to read the environment: each app's env.ts, test helpers and tests, scripts.
    files: ['**/env.ts', '**/testing.ts', '**/testing/**', '**/*.test.ts', 'scripts/**', '**/*.config.*'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The functional core: pure rules, no I/O, no ORM, no transport, no clock.
    files: ['packages/domain/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@mikro-orm/*', '@trpc/*', 'pg-boss', 'pg', 'nodemailer', 'node:*', '@appointments/*'], message: 'packages/domain stays pure: no I/O, ORM or transport.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass `now` in; the domain never reads the clock.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Pass `now` in; the domain never reads the clock.' },
      ],
    },
  },
  {
    // Dependencies point one way: apps → db → domain. Apps never import each other (end-to-end
    // tests may start the real API: the worker's tests need something to book through).
    files: ['apps/*/src/**/*.ts', 'packages/db/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appsApart] }] },
  },
  {
    // packages/db runs SQL through its one runner, which alone touches the drivers and Kysely (MikroORM's connection layer).
    files: ['packages/db/src/**/*.ts'],
    ignores: ['packages/db/src/runner/**', '**/*.test.ts', 'packages/db/src/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [appsApart, { group: ['kysely', 'pg', 'better-sqlite3'], message: 'Run SQL through the runner (packages/db/src/runner).' }] },
      ],
    },
  },
);
