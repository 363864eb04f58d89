// @ts-check
import tseslint from 'typescript-eslint';

const processEnvRule = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: "Read configuration in the app's env.ts (validated by zod), not here." },
  ],
};

/** Products never depend on the test kit: only tests (*.test.ts) import it. */
const noTestkit = {
  group: ['@appointments/testkit', '@appointments/testkit/*'],
  message: '@appointments/testkit is test support: import it from *.test.ts files only.',
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
    // The places allowed to read the environment: each app's env.ts, the test kit and tests, scripts.
    files: ['**/env.ts', 'packages/testkit/src/**', '**/*.test.ts', 'scripts/**', '**/*.config.*'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Product code (every package's and app's src but the kit's, tests aside) never imports the test
    // kit. A later config's options for a rule replace an earlier one's, so the later import rules
    // repeat noTestkit (the domain's bans every @appointments/* package anyway).
    files: ['apps/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/testkit/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noTestkit] }] },
  },
  {
    // The test kit sits below the apps (they depend on it): it starts them as processes or takes their code as parameters.
    files: ['packages/testkit/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@appointments/api', '@appointments/api/*', '@appointments/worker', '@appointments/worker/*', '**/apps/**'], message: 'The test kit never imports apps: that would make the package graph cyclic.' },
          ],
        },
      ],
    },
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
    // tests that need the real API, as the worker's do, start it as a process through the test kit).
    files: ['apps/*/src/**/*.ts', 'packages/db/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noTestkit, appsApart] }] },
  },
  {
    // packages/db runs SQL through its one runner, which alone touches the drivers and Kysely (MikroORM's connection layer).
    files: ['packages/db/src/**/*.ts'],
    ignores: ['packages/db/src/runner/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noTestkit, appsApart, { group: ['kysely', 'pg', 'better-sqlite3'], message: 'Run SQL through the runner (packages/db/src/runner).' }] },
      ],
    },
  },
  {
    // The worker's tests book through a real API process (startApiProcess), never the API's code.
    files: ['apps/worker/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@appointments/api', '@appointments/api/*', '**/api/src/**'], message: "The worker's tests start the API as a process through @appointments/testkit/api." }] },
      ],
    },
  },
);
