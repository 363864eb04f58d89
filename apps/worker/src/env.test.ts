import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseEnv as parseDotEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { publicUrlOf } from '@appointments/runtime';
import { queueTarget } from './queue/boss.ts';
import { brandingFrom, parseEnv } from './env.ts';

describe('worker env', () => {
  it("reads the seed's mail settings", () => {
    const env = parseEnv({
      MAIL_USERNAME: 'me@gmail.com',
      MAIL_PASSWORD: 'app-password',
      MAIL_FROM: 'me@gmail.com',
      MAIL_PORT: '587',
      MAIL_SERVER: 'smtp.gmail.com',
      MAIL_FROM_NAME: 'Appointment System',
      MAIL_TLS: 'True',
      MAIL_SSL: 'False',
      USE_CREDENTIALS: 'True',
    });
    expect(env).toMatchObject({ MAIL_PORT: 587, MAIL_TLS: true, MAIL_SSL: false, USE_CREDENTIALS: true, MAIL_SERVER: 'smtp.gmail.com' });
    expect(env.database.dialect).toBe('sqlite');
  });

  it('names every bad variable', () => {
    const attempt = () => parseEnv({ MAIL_TLS: 'maybe', MAIL_PORT: '0', MAIL_FROM: 'nope' });
    for (const name of ['MAIL_TLS', 'MAIL_PORT', 'MAIL_FROM']) expect(attempt).toThrow(new RegExp(`\\n  ${name}: `));
  });

  it('defaults: no MAIL_SERVER (the .eml outbox), an embedded queue, 24 h reminders', () => {
    const env = parseEnv({ DATA_DIR: '/srv/appointments' });
    expect(env.MAIL_SERVER).toBeUndefined();
    expect(env).toMatchObject({ REMINDER_LEAD_MINUTES: [1440], NOTES_IN_NOTIFICATIONS: true, NOTES_IN_CALENDAR: true, WORKER_PORT: 8001, NOTIFY_RETRY_LIMIT: 8 });
    expect(queueTarget(env)).toEqual({ kind: 'pglite', dir: '/srv/appointments/queue' });
    expect(queueTarget(parseEnv({ DATABASE_URL: 'postgres://u:p@db/app' }))).toEqual({ kind: 'postgresql', url: 'postgresql://u:p@db/app' });
    expect(queueTarget(parseEnv({ QUEUE_DATABASE_URL: 'postgresql://q@db/queue' }))).toEqual({ kind: 'postgresql', url: 'postgresql://q@db/queue' });
    expect(() => parseEnv({ QUEUE_DATABASE_URL: 'sqlite:///queue.db' })).toThrow(/QUEUE_DATABASE_URL: must be a postgresql:\/\/ URL/);
  });

  it('branding: MAIL_FROM_NAME defaults to ORGANIZATION_NAME, MAIL_FROM stays; web addresses are http(s) only', () => {
    expect(parseEnv({})).toMatchObject({ MAIL_FROM_NAME: 'Appointment System', MAIL_FROM: 'noreply@localhost', ORGANIZATION_NAME: null, DEFAULT_LOCALE: 'en', EMAIL_TEMPLATES_DIR: null });
    const env = parseEnv({ ORGANIZATION_NAME: ' Sunrise Clinic ', ORGANIZATION_URL: 'https://sunrise.example', ORGANIZATION_PHONE: '', DEFAULT_LOCALE: 'de-at' });
    expect(env).toMatchObject({ MAIL_FROM_NAME: 'Sunrise Clinic', MAIL_FROM: 'noreply@localhost', DEFAULT_LOCALE: 'de-AT' });
    expect(brandingFrom(env)).toEqual({ name: 'Sunrise Clinic', address: null, phone: null, url: 'https://sunrise.example', logoUrl: null });
    expect(parseEnv({ ORGANIZATION_NAME: 'Sunrise Clinic', MAIL_FROM_NAME: 'Front desk' }).MAIL_FROM_NAME).toBe('Front desk');
    expect(() => parseEnv({ LOGO_URL: 'javascript:alert(1)' })).toThrow(/LOGO_URL/);
    expect(() => parseEnv({ EMAIL_TEMPLATES_DIR: '/nonexistent/templates' })).toThrow(/EMAIL_TEMPLATES_DIR: must be an existing directory/);
    expect(parseEnv({ EMAIL_TEMPLATES_DIR: tmpdir() }).EMAIL_TEMPLATES_DIR).toBe(tmpdir());
  });

  it("reads what links in emails need as the API does: its key, its address, and a template for the manage page", () => {
    expect(publicUrlOf(parseEnv({}))).toBe('http://127.0.0.1:8000');
    expect(publicUrlOf(parseEnv({ HOST: '0.0.0.0', PORT: '9000' }))).toBe('http://127.0.0.1:9000');
    expect(publicUrlOf(parseEnv({ PUBLIC_URL: 'https://api.clinic.example/' }))).toBe('https://api.clinic.example');
    expect(parseEnv({ MANAGE_URL_TEMPLATE: 'https://clinic.example/booking/{token}' }).MANAGE_URL_TEMPLATE).toBe('https://clinic.example/booking/{token}');
    expect(() => parseEnv({ MANAGE_URL_TEMPLATE: 'https://clinic.example/booking' })).toThrow(/MANAGE_URL_TEMPLATE: .*\{token\}/);
    expect(() => parseEnv({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL: /);
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY: SECRET_KEY is required when NODE_ENV=production/);
    expect(parseEnv({ NODE_ENV: 'production', SECRET_KEY: 'production-secret-0123456789' }).SECRET_KEY).toBe('production-secret-0123456789');
  });

  it('takes REMINDER_LEAD_MINUTES as a list: one value or several, each once, longest first', () => {
    expect(parseEnv({ REMINDER_LEAD_MINUTES: '60' }).REMINDER_LEAD_MINUTES).toEqual([60]);
    expect(parseEnv({ REMINDER_LEAD_MINUTES: ' 60, 1440,60 ' }).REMINDER_LEAD_MINUTES).toEqual([1440, 60]);
    for (const bad of ['', '60,', 'soon', '0', '1.5', '525601', '1,2,3,4,5,6,7,8,9,10,11']) {
      expect(() => parseEnv({ REMINDER_LEAD_MINUTES: bad }), bad).toThrow(/\n  REMINDER_LEAD_MINUTES(\.\d+)?: /);
    }
  });

  it('reads the privacy switches', () => {
    expect(parseEnv({ NOTES_IN_NOTIFICATIONS: 'false', NOTES_IN_CALENDAR: 'False' })).toMatchObject({ NOTES_IN_NOTIFICATIONS: false, NOTES_IN_CALENDAR: false });
  });

  it('accepts .env.example as shipped', () => {
    const example = parseDotEnv(readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8'));
    expect(() => parseEnv(example)).not.toThrow();
  });
});
