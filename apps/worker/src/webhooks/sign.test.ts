import { generateWebhookSecret } from '@appointments/runtime';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signatureHeaders } from './sign.ts';

const body = JSON.stringify({ type: 'appointment.booked', data: { id: 42, client: 'Zoë' } });

describe('signatureHeaders', () => {
  it('signs as Standard Webhooks verifies, with each of two secrets alone', () => {
    const [previous, next] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signatureHeaders({ id: 'msg_2f8a', timestamp: new Date(), body, secrets: [previous, next] });
    expect(headers['webhook-id']).toBe('msg_2f8a');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [previous, next]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow('No matching signature found');
  });

  it('signs with one secret outside a rotation', () => {
    const secret = generateWebhookSecret();
    const headers = signatureHeaders({ id: 'msg_1', timestamp: new Date(), body, secrets: [secret] });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('covers the body, the id and the time it names', () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const headers = signatureHeaders({ id: 'msg_1', timestamp: now, body, secrets: [secret] });
    const receiver = new Webhook(secret);
    expect(() => receiver.verify(body.replace('42', '43'), headers)).toThrow('No matching signature found');
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow('No matching signature found');
    const secondLater = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => receiver.verify(body, { ...headers, 'webhook-timestamp': secondLater })).toThrow('No matching signature found');
  });

  it('writes the time in whole seconds, and signs what Standard Webhooks signs', () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date('2026-03-01T09:30:15.987Z');
    const headers = signatureHeaders({ id: 'msg_1', timestamp, body, secrets: [secret] });
    expect(headers['webhook-timestamp']).toBe(String(Date.UTC(2026, 2, 1, 9, 30, 15) / 1000));
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', timestamp, body));
  });
});
