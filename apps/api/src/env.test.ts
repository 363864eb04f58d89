import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountLinkTemplates, parseEnv, policiesFrom } from './env.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'api-env-'));

describe('parseEnv', () => {
  it('has working defaults: SQLite in DATA_DIR, port 8000, UTC, 8-day sessions', () => {
    const dir = tmp();
    const env = parseEnv({ DATA_DIR: dir });
    expect(env).toMatchObject({ PORT: 8000, HOST: '127.0.0.1', DEFAULT_TIMEZONE: 'UTC', ACCESS_TOKEN_EXPIRE_MINUTES: 11520, LOG_LEVEL: 'info' });
    expect(env.database).toEqual({ dialect: 'sqlite', path: join(dir, 'appointments.db') });
  });

  it("accepts the seed's .env as written", () => {
    const env = parseEnv({
      PROJECT_NAME: 'Appointment Scheduling System',
      API_V1_STR: '/api/v1',
      SECRET_KEY: 'your-secret-key-here',
      ACCESS_TOKEN_EXPIRE_MINUTES: '11520',
      DATABASE_URL: 'sqlite:///./appointment.db',
      MAIL_USERNAME: 'your-email@gmail.com',
      MAIL_PORT: '587',
      MAIL_TLS: 'True',
      MAIL_SSL: 'False',
      USE_CREDENTIALS: 'True',
    });
    expect(env.database).toMatchObject({ dialect: 'sqlite', path: expect.stringMatching(/\/appointment\.db$/) });
    expect(env.SECRET_KEY).toBe('your-secret-key-here');
  });

  it('generates a development SECRET_KEY once into DATA_DIR, private to the owner', () => {
    const dir = tmp();
    const first = parseEnv({ DATA_DIR: dir }).SECRET_KEY;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ DATA_DIR: dir }).SECRET_KEY).toBe(first);
    expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'secret_key')).mode & 0o077).toBe(0);
  });

  it('fails fast with one readable message naming every bad variable', () => {
    const attempt = () =>
      parseEnv({ NODE_ENV: 'production', PORT: 'eighty', DEFAULT_TIMEZONE: 'Nowhere/City', ADMIN_EMAIL: 'a@example.com', DATABASE_URL: 'mysql://x' });
    expect(attempt).toThrow(/^Invalid configuration:/);
    for (const name of ['PORT', 'DEFAULT_TIMEZONE', 'ADMIN_PASSWORD', 'SECRET_KEY', 'DATABASE_URL']) {
      expect(attempt).toThrow(new RegExp(`  ${name}: `));
    }
    const badAdmin = () => parseEnv({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'short' });
    for (const name of ['ADMIN_EMAIL', 'ADMIN_PASSWORD']) {
      expect(badAdmin).toThrow(new RegExp(`  ${name}: `));
    }
  });

  it('takes MIN_APPOINTMENT_MINUTES (default 5) into the policies, between 1 minute and a day', () => {
    expect(policiesFrom(parseEnv({ DATA_DIR: tmp() })).minAppointmentMinutes).toBe(5);
    expect(policiesFrom(parseEnv({ DATA_DIR: tmp(), MIN_APPOINTMENT_MINUTES: '15' })).minAppointmentMinutes).toBe(15);
    for (const bad of ['0', '1.5', '1441']) expect(() => parseEnv({ DATA_DIR: tmp(), MIN_APPOINTMENT_MINUTES: bad })).toThrow(/  MIN_APPOINTMENT_MINUTES: /);
  });

  it('reads PostgreSQL URLs and booleans the seed way', () => {
    const env = parseEnv({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@localhost/app', TRUST_PROXY: 'True' });
    expect(env.database).toEqual({ dialect: 'postgresql', url: 'postgresql://u@localhost/app' });
    expect(env.TRUST_PROXY).toBe(true);
  });
});

describe('accountLinkTemplates', () => {
  it('leads links to the API itself by default, or to a front end by template', () => {
    const dir = tmp();
    expect(accountLinkTemplates(parseEnv({ DATA_DIR: dir }))).toEqual({ password_reset: undefined, verify_email: undefined });
    const env = parseEnv({ DATA_DIR: dir, PASSWORD_RESET_URL_TEMPLATE: 'https://clinic.example/reset/{token}', REQUIRE_VERIFIED_EMAIL: 'true' });
    expect(accountLinkTemplates(env)).toMatchObject({ password_reset: 'https://clinic.example/reset/{token}' });
    expect(env.REQUIRE_VERIFIED_EMAIL).toBe(true);
  });

  it('refuses a template without {token}, or one that is no URL, and a PUBLIC_URL that is not http(s)', () => {
    const dir = tmp();
    expect(() => parseEnv({ DATA_DIR: dir, PASSWORD_RESET_URL_TEMPLATE: 'https://clinic.example/reset' })).toThrow(/PASSWORD_RESET_URL_TEMPLATE/);
    expect(() => parseEnv({ DATA_DIR: dir, VERIFY_EMAIL_URL_TEMPLATE: '{token}' })).toThrow(/VERIFY_EMAIL_URL_TEMPLATE/);
    expect(() => parseEnv({ DATA_DIR: dir, PUBLIC_URL: 'ftp://files.example' })).toThrow(/PUBLIC_URL/);
  });
});
