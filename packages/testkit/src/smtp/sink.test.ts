import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from './sink.ts';

describe('startSmtpSink', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('waitFor rejects, naming the shortfall, when too few messages arrive', async () => {
    await expect(sink.waitFor(sink.messages.length + 1, 50)).rejects.toThrow(/0 of 1 messages after 50 ms/);
  });

  it('waitFor resolves once a message arrives, with its parsed form, raw source and envelope', async () => {
    const waiting = sink.waitFor(1);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false });
    try {
      await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', bcc: 'c@example.com', subject: 'Ping', text: 'pong' });
    } finally {
      transport.close();
    }
    const [mail] = await waiting;
    expect(mail?.subject).toBe('Ping');
    expect(mail?.text?.trim()).toBe('pong');
    expect(sink.raw[0]).toMatch(/^Subject: Ping\r$/m);
    expect(sink.envelopes[0]).toEqual({ mailFrom: 'a@example.com', rcptTo: ['b@example.com', 'c@example.com'] });
  });
});
