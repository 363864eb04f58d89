import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeEmail, MANAGE_LINK_TEXT, NOTIFICATION_KINDS, type EmailContent, type NotificationDetails, type NotificationKind } from '@appointments/domain';
import { EMAILS_DIR, renderEmail } from './render.ts';

const START = Date.UTC(2026, 11, 1, 13, 0);
const HOUR = 3_600_000;
const client = { id: 1, name: 'Clara Client', email: 'clara@example.com', timezone: 'Europe/Berlin', role: 'client' } as const;
const staff = { id: 2, name: 'Dr Ada Lovelace', email: 'ada@example.com', timezone: 'America/New_York', role: 'staff' } as const;

const DETAILS: Record<NotificationKind, NotificationDetails> = {
  confirmation: {},
  reschedule: { previousStart: START - 24 * HOUR, previousEnd: START - 23 * HOUR, reason: 'Clinic closed that day' },
  cancellation: { cancelledBy: { id: staff.id, name: staff.name, role: 'staff' }, reason: 'Called away' },
  reminder: {},
};

function content(kind: NotificationKind, overrides: { recipientName?: string; notes?: string | null; reason?: string; manageUrl?: string } = {}): EmailContent {
  const details = overrides.reason === undefined ? DETAILS[kind] : { ...DETAILS[kind], reason: overrides.reason };
  return composeEmail({
    kind,
    appointment: { id: 7, start: START, end: START + HOUR, notes: overrides.notes === undefined ? 'Bring the referral letter' : overrides.notes },
    details,
    recipient: { ...client, name: overrides.recipientName ?? client.name },
    counterpart: staff,
    manageUrl: overrides.manageUrl ?? null,
  });
}

describe('renderEmail', () => {
  it.each(NOTIFICATION_KINDS)('%s: subject, times, people and inlined style', async (kind) => {
    const email = content(kind);
    const { subject, html, text } = await renderEmail(email);

    expect(subject).toBe(email.subject);
    expect(html).toContain(email.when.text);
    expect(html).toContain('Europe/Berlin');
    expect(html).toContain('Hello Clara Client,');
    expect(html).toContain(email.headline);
    expect(html).toContain('Dr Ada Lovelace (staff)');
    expect(html).toContain('Bring the referral letter');
    // style.css ends up in style attributes; only the media query stays behind in a <style> tag.
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toMatch(/<h1 class="headline" style="[^"]*font-size: 20px/);
    expect(html).toMatch(/<span class="label" style="[^"]*text-transform: uppercase/);
    expect(html).toMatch(/<style>[^<]*@media \(max-width: 480px\)/);

    expect(text).toContain(email.when.text);
    expect(text).toContain('Hello Clara Client,');
    expect(text).toContain('Dr Ada Lovelace (staff)');
    expect(text).toContain('Bring the referral letter');
    expect(text).not.toMatch(/<\w+[^>]*>/);
  });

  it('shows the previous time and reason of a reschedule', async () => {
    const email = content('reschedule');
    const { html, text } = await renderEmail(email);
    expect(email.previously).not.toBeNull();
    for (const part of [html, text]) {
      expect(part).toContain(email.previously?.text);
      expect(part).toContain('Clinic closed that day');
    }
  });

  it('shows who cancelled and why', async () => {
    const email = content('cancellation');
    const { html, text } = await renderEmail(email);
    for (const part of [html, text]) {
      expect(part).toContain('Cancelled by');
      expect(part).toContain('Dr Ada Lovelace (staff)');
      expect(part).toContain('Called away');
    }
  });

  it('leaves out notes when there are none', async () => {
    const { html, text } = await renderEmail(content('confirmation', { notes: null }));
    expect(html).not.toContain('>Notes<');
    expect(text).not.toContain('Notes');
  });

  it.each(['cancellation', 'reschedule'] as const)('%s: escapes hostile names, reasons and notes in HTML, keeps them verbatim in text', async (kind) => {
    const name = '<script>alert(1)</script> & "Bob"';
    const notes = 'Bring <b>ID</b> & "forms"\nSecond line';
    const reason = '<img src=x onerror=alert(1)>';
    const { html, text } = await renderEmail(content(kind, { recipientName: name, notes, reason }));

    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Bob&quot;,');
    expect(html).toContain('Bring &lt;b&gt;ID&lt;/b&gt; &amp; &quot;forms&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');

    expect(text).toContain(`Hello ${name},`);
    expect(text).toContain(notes);
    expect(text).toContain(reason);
  });

  it('gives the client one prominent manage link, in both parts; none without one', async () => {
    const manageUrl = 'https://clinic.example/booking/7.0.abc?x=1&y=2';
    const { html, text } = await renderEmail(content('confirmation', { manageUrl }));
    expect(html).toMatch(/<a class="button" href="https:\/\/clinic\.example\/booking\/7\.0\.abc\?x=1&amp;y=2" style="[^"]*background-color/);
    expect(html).toContain(`>${MANAGE_LINK_TEXT.manage}</a>`);
    expect(text).toContain(`${MANAGE_LINK_TEXT.manage} [${manageUrl}]`);
    const without = await renderEmail(content('confirmation'));
    expect(without.html).not.toContain('class="button"');
    expect(without.text).not.toContain(MANAGE_LINK_TEXT.manage);
  });

  it('finds its templates and stylesheet whatever the working directory', async () => {
    expect(path.isAbsolute(EMAILS_DIR)).toBe(true);
    expect(existsSync(path.join(EMAILS_DIR, 'style.css'))).toBe(true);
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      const { html } = await renderEmail(content('reminder'));
      expect(html).toMatch(/<h1 class="headline" style="/);
    } finally {
      process.chdir(cwd);
    }
  });
});
