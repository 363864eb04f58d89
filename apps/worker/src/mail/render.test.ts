import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOGUES, composeEmail, NOTIFICATION_KINDS, type Branding, type EmailContent, type NotificationDetails, type NotificationKind } from '@appointments/domain';
import { createRenderer, EMAILS_DIR } from './render.ts';

const renderEmail = createRenderer().render;

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

function content(kind: NotificationKind, overrides: { recipientName?: string; notes?: string | null; reason?: string; locale?: string; branding?: Branding; manageUrl?: string } = {}): EmailContent {
  const details = overrides.reason === undefined ? DETAILS[kind] : { ...DETAILS[kind], reason: overrides.reason };
  return composeEmail({
    kind,
    appointment: { id: 7, start: START, end: START + HOUR, notes: overrides.notes === undefined ? 'Bring the referral letter' : overrides.notes },
    details,
    recipient: { ...client, name: overrides.recipientName ?? client.name },
    counterpart: staff,
    locale: overrides.locale,
    branding: overrides.branding,
    manageUrl: overrides.manageUrl ?? null,
  });
}

describe('renderEmail', () => {
  it.each(NOTIFICATION_KINDS)('%s: subject, times, people and inlined style', async (kind) => {
    const email = content(kind);
    const { subject, html, text } = await renderEmail(email);

    expect(subject).toBe(email.subject);
    expect(html).toContain(email.when.text);
    expect(html).toContain('Central European Standard Time (UTC+1)');
    expect(html).not.toContain('Europe/Berlin');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Hello Clara Client,');
    expect(html).toContain(email.headline);
    expect(html).toContain('Dr Ada Lovelace');
    expect(html).not.toContain('(staff)');
    expect(html).toContain('Sent by the appointment system.');
    expect(html).toContain('Bring the referral letter');
    // style.css ends up in style attributes; only the media query stays behind in a <style> tag.
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toMatch(/<h1 class="headline" style="[^"]*font-size: 20px/);
    expect(html).toMatch(/<span class="label" style="[^"]*text-transform: uppercase/);
    expect(html).toMatch(/<style>[^<]*@media \(max-width: 480px\)/);

    expect(text).toContain(email.when.text);
    expect(text).toContain('Hello Clara Client,');
    expect(text).toContain('Dr Ada Lovelace');
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
      expect(part).toMatch(/Dr Ada Lovelace(?! \()/);
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
    expect(html).toContain(`>${CATALOGUES.en.appointment.manageLink.manage}</a>`);
    expect(text).toContain(`${CATALOGUES.en.appointment.manageLink.manage} [${manageUrl}]`);
    const without = await renderEmail(content('confirmation'));
    expect(without.html).not.toContain('class="button"');
    expect(without.text).not.toContain(CATALOGUES.en.appointment.manageLink.manage);
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

describe('renderEmail in German, branded', () => {
  const branding = { name: 'Praxis Sonnenschein', address: 'Torstraße 1\n10119 Berlin', phone: '+49 30 123456', url: 'https://praxis.example', logoUrl: 'https://praxis.example/logo.png' };
  const LABELS: Record<NotificationKind, string[]> = {
    confirmation: ['Wann'],
    reminder: ['Wann'],
    reschedule: ['Neue Zeit', 'Bisher', 'Grund'],
    cancellation: ['Gebucht war', 'Abgesagt von', 'Grund'],
  };

  it.each(NOTIFICATION_KINDS)('%s: every word German, the zone by its German name, the organisation in the footer', async (kind) => {
    const email = content(kind, { locale: 'de', branding });
    const { subject, html, text } = await renderEmail(email);
    expect(subject).toBe(email.subject);
    expect(subject).toContain('Ihr Termin bei Praxis Sonnenschein');
    expect(html).toContain('<html lang="de">');
    expect(html).toMatch(/<img class="logo" src="https:\/\/praxis\.example\/logo\.png" alt="Praxis Sonnenschein"/);
    for (const part of [html, text]) {
      expect(part).toContain('Guten Tag Clara Client,');
      expect(part).toContain(email.headline);
      expect(part).toContain('Mitteleuropäische Normalzeit (UTC+1)');
      expect(part).toContain('Gesendet von Praxis Sonnenschein.');
      expect(part).toContain('Die angehängte Kalenderdatei hält Ihren Kalender auf dem neuesten Stand.');
      expect(part).toContain('+49 30 123456');
      for (const label of [...LABELS[kind], 'Mit', 'Notizen']) expect(part).toContain(label);
      expect(part).not.toMatch(/Hello|When|Notes|Sent by|\(staff\)/);
    }
    expect(text).toMatch(/Torstraße 1\n10119 Berlin/);
    // The link reads once in text, not followed by its own address in brackets.
    expect(text).toContain('https://praxis.example');
    expect(text).not.toContain('[https://praxis.example]');
  });
});

describe('EMAIL_TEMPLATES_DIR', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'email-templates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'reminder'));
  // One view replaced: it extends the shipped layout.
  writeFileSync(path.join(dir, 'reminder', 'html.pug'), 'extends ../layout.pug\n\nblock content\n  p.custom Custom reminder for #{recipient.name}: #{when.text}\n');
  const overridden = createRenderer(dir);

  it('a view in the directory replaces the shipped one and still extends the shipped layout and stylesheet', async () => {
    const email = content('reminder');
    const { html, text } = await overridden.render(email);
    expect(html).toContain(`Custom reminder for Clara Client: ${email.when.text}`);
    expect(html).toContain('Hello Clara Client,');
    expect(html).toMatch(/<h1 class="headline" style="[^"]*font-size: 20px/);
    expect(text).toContain('Custom reminder for Clara Client');
  });

  it('views it does not have are the shipped ones', async () => {
    const { html } = await overridden.render(content('confirmation'));
    expect(html).not.toContain('Custom reminder');
    expect(html).toContain('Hello Clara Client,');
  });

  it('a layout and a stylesheet in the directory frame every view, shipped or not', async () => {
    const framed = mkdtempSync(path.join(os.tmpdir(), 'email-layout-'));
    try {
      writeFileSync(path.join(framed, 'layout.pug'), 'include _parts.pug\ndoctype html\nhtml(lang=language)\n  head\n    link(rel="stylesheet" href="style.css")\n  body\n    h2.brand Our own frame\n    block content\n');
      writeFileSync(path.join(framed, 'style.css'), '.brand { color: #ff0000; }\n');
      const { html } = await createRenderer(framed).render(content('confirmation', { locale: 'de' }));
      expect(html).toMatch(/<h2 class="brand" style="color: #ff0000;?">Our own frame<\/h2>/);
      expect(html).toContain('Wann');
      expect(html).not.toContain('Guten Tag');
    } finally {
      rmSync(framed, { recursive: true, force: true });
    }
  });
});
