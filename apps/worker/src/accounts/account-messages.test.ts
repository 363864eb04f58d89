import { describe, expect, it } from 'vitest';
import type { ClaimedAccountMessage } from '@appointments/db';
import type { Mailer, OutgoingEmail } from '../mail/mailer.ts';
import { createRenderer } from '../mail/render.ts';
import { sendAccountMessage } from './account-messages.ts';

const renderer = createRenderer();
const language = { defaultLocale: 'en', branding: {} };

const NOW = new Date('2026-03-01T10:00:00Z');
const claim = (attempt: number): ClaimedAccountMessage => ({
  id: 7,
  attempt,
  kind: 'verify_email',
  link: 'https://clinic.example/verify/abc?x=1&y=<2>',
  recipient: { id: 3, email: 'jane@example.com', fullName: 'Jane <Client>', role: 'client', isActive: true, timezone: 'UTC', locale: null, emailVerified: false, noShowCount: 0, completedCount: 0, isBlocked: false, createdAt: NOW },
});

/** A mailer that keeps what it is given, or refuses it as a busy server would. */
function mailer(refuse: boolean): Mailer & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return {
    describe: 'test',
    sent,
    async send(email) {
      if (refuse) throw new Error('451 Try again later');
      sent.push(email);
      return { messageId: '<1@test>' };
    },
    close() {},
  };
}

describe('sendAccountMessage', () => {
  it('sends the link, escaped in the HTML, as text too, with no calendar file', async () => {
    const out = mailer(false);
    expect(await sendAccountMessage({ mailer: out, renderer, language }, claim(1), { baseDelaySeconds: 30, limit: 2 }, NOW)).toEqual({ kind: 'sent' });
    const [email] = out.sent;
    expect(email).toMatchObject({ to: { name: 'Jane <Client>', email: 'jane@example.com' }, subject: 'Confirm your email address', headers: { 'X-Account-Message-Id': '7' } });
    expect(email!.calendar).toBeUndefined();
    expect(email!.html).toContain('href="https://clinic.example/verify/abc?x=1&amp;y=&lt;2&gt;"');
    expect(email!.html).toContain('Hello Jane &lt;Client&gt;,');
    expect(email!.html).not.toContain('attached calendar file');
    expect(email!.text).toContain('https://clinic.example/verify/abc?x=1&y=<2>');
    expect(email!.text).toContain('The link works once, for 24 hours.');
  });

  it('retries a refused send with backoff, then gives up once the retries are spent', async () => {
    const retry = { baseDelaySeconds: 30, limit: 2 };
    expect(await sendAccountMessage({ mailer: mailer(true), renderer, language }, claim(1), retry, NOW)).toEqual({ kind: 'retry', at: new Date(NOW.getTime() + 30_000), error: '451 Try again later' });
    expect(await sendAccountMessage({ mailer: mailer(true), renderer, language }, claim(2), retry, NOW)).toEqual({ kind: 'retry', at: new Date(NOW.getTime() + 60_000), error: '451 Try again later' });
    expect(await sendAccountMessage({ mailer: mailer(true), renderer, language }, claim(3), retry, NOW)).toEqual({ kind: 'failed', error: '451 Try again later' });
  });
});
