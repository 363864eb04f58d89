import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appointmentCalendarEvent, buildCalendar, composeEmail } from '@appointments/domain';
import { SINK_CREDENTIALS, startSmtpSink, type SmtpSink } from '@appointments/testkit/smtp';
import { createMailer, type Mailer, type MailerEnv, type OutgoingEmail } from './mailer.ts';
import { createRenderer } from './render.ts';

const renderer = createRenderer();

const START = Date.UTC(2026, 11, 1, 13, 0);
const HOUR = 3_600_000;
const staff = { id: 2, fullName: 'Dr Ada Lovelace', email: 'ada@example.com' };
const client = { id: 1, fullName: 'Clara Client', email: 'clara@example.com' };

const ENV: MailerEnv = {
  MAIL_USERNAME: undefined,
  MAIL_PASSWORD: undefined,
  MAIL_FROM: 'noreply@example.com',
  MAIL_FROM_NAME: 'Appointment System',
  MAIL_SERVER: undefined,
  MAIL_PORT: 587,
  MAIL_TLS: false,
  MAIL_SSL: false,
  USE_CREDENTIALS: false,
  DATA_DIR: './data',
};

/** A realistic email to the client: rendered templates and the domain's .ics, in English unbranded unless told. */
async function outgoing(method: 'REQUEST' | 'CANCEL', sequence: number, as: { locale?: string; organizationName?: string } = {}): Promise<OutgoingEmail> {
  const kind = method === 'CANCEL' ? 'cancellation' : 'confirmation';
  const appointment = { id: 42, sequence, start: START, end: START + HOUR, notes: 'Bring the referral letter', updatedAt: START - HOUR };
  const status = method === 'CANCEL' ? 'cancelled' : 'scheduled';
  const event = appointmentCalendarEvent({ ...appointment, status }, { staff, client }, client.id, { uidDomain: 'appointments.example.com', organizationName: as.organizationName });
  const content = composeEmail({
    kind,
    appointment,
    details: method === 'CANCEL' ? { cancelledBy: { id: staff.id, name: staff.fullName, role: 'staff' }, reason: 'Called away' } : {},
    recipient: { id: client.id, name: client.fullName, email: client.email, timezone: 'Europe/Berlin', role: 'client' },
    counterpart: { id: staff.id, name: staff.fullName, email: staff.email, timezone: 'America/New_York', role: 'staff' },
    locale: as.locale,
    branding: { name: as.organizationName },
  });
  const { subject, html, text } = await renderer.render(content);
  return {
    to: { name: client.fullName, email: client.email },
    subject,
    html,
    text,
    calendar: { method, content: buildCalendar([event], { name: 'Appointments', now: START - HOUR, method }) },
    headers: { 'X-Appointment-Id': '42' },
    fileStem: `appointment-42-${kind}-${sequence}`,
  };
}

const addresses = (field: AddressObject | AddressObject[] | undefined) => [field ?? []].flat().flatMap((object) => object.value);

/** The iTIP part: text/calendar with a method parameter, parsed by ical.js. */
function calendarPart(mail: ParsedMail) {
  const part = mail.attachments.find((attachment) => attachment.contentType === 'text/calendar');
  expect(part, 'text/calendar part').toBeDefined();
  const { params } = part?.headers.get('content-type') as { value: string; params: Record<string, string> };
  const calendar = new ICAL.Component(ICAL.parse(part?.content.toString('utf8') ?? ''));
  const event = calendar.getFirstSubcomponent('vevent');
  return {
    part: part as Attachment,
    params,
    method: calendar.getFirstPropertyValue('method'),
    uid: event?.getFirstPropertyValue('uid'),
    sequence: event?.getFirstPropertyValue('sequence'),
    organizer: event?.getFirstProperty('organizer'),
  };
}

describe('createMailer over SMTP', () => {
  let sink: SmtpSink;
  let mailer: Mailer;
  const smtpEnv = (): MailerEnv => ({ ...ENV, MAIL_SERVER: '127.0.0.1', MAIL_PORT: sink.port });

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterEach(() => {
    mailer.close();
    sink.refuse(false);
  });
  afterAll(() => sink.close());

  it.each([
    ['REQUEST', 3],
    ['CANCEL', 4],
  ] as const)('sends html, text and a %s calendar part', async (method, sequence) => {
    mailer = createMailer(smtpEnv());
    expect(mailer.describe).toBe(`smtp://127.0.0.1:${sink.port}`);
    const email = await outgoing(method, sequence);
    const before = sink.messages.length;

    const { messageId } = await mailer.send(email);

    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    if (!mail) throw new Error('no message');
    expect(mail.messageId).toBe(messageId);
    expect(addresses(mail.from)).toEqual([{ name: 'Appointment System', address: 'noreply@example.com' }]);
    expect(addresses(mail.to)).toEqual([{ name: 'Clara Client', address: 'clara@example.com' }]);
    expect(sink.envelopes[before]).toEqual({ mailFrom: 'noreply@example.com', rcptTo: ['clara@example.com'] });
    expect(mail.subject).toBe(email.subject);
    expect(mail.html).toContain('Hello Clara Client,');
    expect(mail.text).toContain('Dr Ada Lovelace');
    expect(mail.text).not.toContain('(staff)');
    expect(mail.headers.get('x-appointment-id')).toBe('42');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');

    const calendar = calendarPart(mail);
    expect(calendar.params).toMatchObject({ method, charset: 'utf-8' });
    expect(calendar.method).toBe(method);
    expect(calendar.uid).toBe('appointment-42@appointments.example.com');
    expect(calendar.sequence).toBe(sequence);
    expect(sink.raw[before]).toMatch(new RegExp(`^Content-Type: text/calendar; charset=utf-8; method=${method}\\r$`, 'm'));
    // nodemailer also attaches the same .ics as a download for clients that ignore the iTIP part.
    const download = mail.attachments.find((attachment) => attachment.filename === 'invite.ics');
    expect(download?.contentDisposition).toBe('attachment');
    expect(download?.content.equals(calendar.part.content)).toBe(true);
  });

  it('a branded German email: the subject and body in German, the organisation as the invitation’s organiser', async () => {
    mailer = createMailer({ ...smtpEnv(), MAIL_FROM_NAME: 'Praxis Sonnenschein' });
    const email = await outgoing('REQUEST', 0, { locale: 'de', organizationName: 'Praxis Sonnenschein' });
    const before = sink.messages.length;

    await mailer.send(email);

    const mail = (await sink.waitFor(before + 1))[before]!;
    expect(addresses(mail.from)).toEqual([{ name: 'Praxis Sonnenschein', address: 'noreply@example.com' }]);
    expect(mail.subject).toBe('Ihr Termin bei Praxis Sonnenschein ist bestätigt: Dienstag, 1. Dezember 2026 um 14:00');
    expect(mail.text).toContain('Guten Tag Clara Client,');
    expect(mail.text).toContain('Dienstag, 1. Dezember 2026, 14:00–15:00 Mitteleuropäische Normalzeit (UTC+1)');
    expect(mail.text).toContain('Gesendet von Praxis Sonnenschein.');
    const { organizer } = calendarPart(mail);
    expect(organizer?.getParameter('cn')).toBe('Praxis Sonnenschein');
    expect(organizer?.getFirstValue()).toBe(`mailto:${staff.email}`);
  });

  it('never lets a name, subject or header value add a recipient or header', async () => {
    mailer = createMailer(smtpEnv());
    const injection = '\r\nBcc: evil@example.com';
    const email = await outgoing('REQUEST', 1);
    const before = sink.messages.length;

    await mailer.send({
      ...email,
      to: { name: `Clara${injection}`, email: client.email },
      subject: `Hello${injection}`,
      headers: { 'X-Appointment-Id': `42${injection}` },
    });

    const mail = (await sink.waitFor(before + 1))[before];
    expect(sink.envelopes[before]?.rcptTo).toEqual(['clara@example.com']);
    expect(sink.raw[before]).not.toMatch(/^bcc:/im);
    expect(mail?.bcc).toBeUndefined();
    expect(mail?.cc).toBeUndefined();
    expect(addresses(mail?.to)).toEqual([{ name: 'Clara Bcc: evil@example.com', address: 'clara@example.com' }]);
    expect(mail?.subject).toBe('Hello Bcc: evil@example.com');
  });

  it('rejects while the server refuses, so the job retries, and sends once it accepts', async () => {
    mailer = createMailer(smtpEnv());
    const email = await outgoing('REQUEST', 1);
    const before = sink.messages.length;

    sink.refuse(true);
    await expect(mailer.send(email)).rejects.toMatchObject({ responseCode: 451 });
    expect(sink.messages).toHaveLength(before);

    sink.refuse(false);
    await mailer.send(email);
    expect(sink.messages).toHaveLength(before + 1);
  });

  it('will not send in the clear when MAIL_TLS requires STARTTLS', async () => {
    mailer = createMailer({ ...smtpEnv(), MAIL_TLS: true });
    const before = sink.messages.length;
    await expect(mailer.send(await outgoing('REQUEST', 1))).rejects.toThrow(/STARTTLS/i);
    expect(sink.messages).toHaveLength(before);
  });
});

describe('createMailer with credentials', () => {
  let sink: SmtpSink;
  const mailers: Mailer[] = [];
  const withAuth = (overrides: Partial<MailerEnv>): Mailer => {
    const mailer = createMailer({ ...ENV, MAIL_SERVER: '127.0.0.1', MAIL_PORT: sink.port, ...overrides });
    mailers.push(mailer);
    return mailer;
  };

  beforeAll(async () => {
    sink = await startSmtpSink({ authRequired: true });
  });
  afterAll(async () => {
    for (const mailer of mailers) mailer.close();
    await sink.close();
  });

  it('logs in with MAIL_USERNAME and MAIL_PASSWORD when USE_CREDENTIALS is on', async () => {
    const email = await outgoing('REQUEST', 1);
    const credentials = { MAIL_USERNAME: SINK_CREDENTIALS.username, MAIL_PASSWORD: SINK_CREDENTIALS.password };

    await withAuth({ USE_CREDENTIALS: true, ...credentials }).send(email);
    expect(sink.messages).toHaveLength(1);

    await expect(withAuth({ USE_CREDENTIALS: false, ...credentials }).send(email)).rejects.toMatchObject({ responseCode: 530 });
    await expect(withAuth({ USE_CREDENTIALS: true, ...credentials, MAIL_PASSWORD: 'wrong' }).send(email)).rejects.toMatchObject({ code: 'EAUTH' });
    expect(sink.messages).toHaveLength(1);
  });
});

describe('createMailer without MAIL_SERVER', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mailer-outbox-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes each message whole to DATA_DIR/outbox/<fileStem>.eml', async () => {
    const mailer = createMailer({ ...ENV, DATA_DIR: dataDir });
    const outbox = path.join(dataDir, 'outbox');
    expect(mailer.describe).toBe(outbox);
    const email = await outgoing('CANCEL', 5);

    const { messageId } = await mailer.send(email);
    mailer.close();

    expect(readdirSync(outbox)).toEqual([`${email.fileStem}.eml`]);
    const source = readFileSync(path.join(outbox, `${email.fileStem}.eml`));
    expect(source.toString('latin1')).not.toMatch(/[^\r]\n/);
    const mail = await simpleParser(source);
    expect(mail.messageId).toBe(messageId);
    expect(mail.subject).toBe(email.subject);
    expect(addresses(mail.to).map((address) => address.address)).toEqual(['clara@example.com']);
    expect(mail.html).toContain('Called away');
    const calendar = calendarPart(mail);
    expect(calendar.params.method).toBe('CANCEL');
    expect(calendar.method).toBe('CANCEL');
    expect(calendar.sequence).toBe(5);
  });

  it('refuses a file name that would leave the outbox', async () => {
    const mailer = createMailer({ ...ENV, DATA_DIR: dataDir });
    const email = await outgoing('REQUEST', 1);
    await expect(mailer.send({ ...email, fileStem: '../escaped' })).rejects.toThrow(/Unsafe/);
    expect(readdirSync(dataDir)).not.toContain('escaped.eml');
    mailer.close();
  });
});
