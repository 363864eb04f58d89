import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { parseDatabaseUrl } from './database-url.ts';

describe('parseDatabaseUrl', () => {
  it.each([
    [undefined, { dialect: 'sqlite', path: resolve('data/appointments.db') }],
    ['sqlite:///./appointment.db', { dialect: 'sqlite', path: resolve('appointment.db') }],
    ['sqlite:///rel/dir/a.db', { dialect: 'sqlite', path: resolve('rel/dir/a.db') }],
    ['sqlite:////var/lib/a.db', { dialect: 'sqlite', path: '/var/lib/a.db' }],
    ['sqlite:///:memory:', { dialect: 'sqlite', path: ':memory:' }],
    ['postgres://u:p@h:5432/db', { dialect: 'postgresql', url: 'postgresql://u:p@h:5432/db' }],
    ['postgresql+psycopg2://u@h/db', { dialect: 'postgresql', url: 'postgresql://u@h/db' }],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url, 'data')).toEqual(expected);
  });

  it('rejects other schemes without echoing credentials', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@h/db', 'data')).toThrow(/DATABASE_URL must look like/);
    expect(() => parseDatabaseUrl('mysql://root:hunter2@h/db', 'data')).not.toThrow(/hunter2/);
  });
});
