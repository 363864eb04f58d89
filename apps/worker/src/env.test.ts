import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

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
});
