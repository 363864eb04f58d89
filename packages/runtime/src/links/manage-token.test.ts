import { describe, expect, it } from 'vitest';
import { MANAGE_PATH, manageTokens, manageUrlEnvShape, manageUrlFor } from './manage-token.ts';

const tokens = manageTokens('test-secret-key-0123456789');

describe('manage tokens', () => {
  it('carry the appointment and its version, with 192 bits of MAC, in URL-safe text', () => {
    const token = tokens.issue({ appointmentId: 42, sequence: 3 });
    expect(token).toMatch(/^42\.3\.[A-Za-z0-9_-]{32}$/);
    expect(tokens.read(token)).toEqual({ appointmentId: 42, sequence: 3 });
    expect(tokens.issue({ appointmentId: 42, sequence: 3 })).toBe(token);
  });

  it('are refused when altered, made with another key, or not tokens at all', () => {
    const token = tokens.issue({ appointmentId: 42, sequence: 3 });
    const mac = token.split('.')[2]!;
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    for (const forged of [
      `42.4.${mac}`, // another version, same MAC
      `43.3.${mac}`, // another appointment
      `42.3.${flipped}`,
      `042.3.${mac}`, // the same numbers, written otherwise
      manageTokens('another-secret-key-0123456789').issue({ appointmentId: 42, sequence: 3 }),
      `99999999999.0.${mac}`,
      '',
      'garbage',
      `${token}.`,
      `${token}=`,
    ]) {
      expect(tokens.read(forged), forged).toBeNull();
    }
  });

  it('differ for every appointment and version', () => {
    const issued = new Set([1, 2, 3].flatMap((appointmentId) => [0, 1, 2].map((sequence) => tokens.issue({ appointmentId, sequence }).split('.')[2])));
    expect(issued.size).toBe(9);
  });
});

describe('manage URLs', () => {
  it("default to the API's own route under PUBLIC_URL", () => {
    expect(manageUrlFor('https://api.clinic.example', undefined)('7.1.abc')).toBe(`https://api.clinic.example${MANAGE_PATH}/7.1.abc`);
  });

  it('follow MANAGE_URL_TEMPLATE, which must be a URL with {token}', () => {
    expect(manageUrlFor('http://127.0.0.1:8000', 'https://clinic.example/booking/{token}?lang=de')('7.1.abc')).toBe('https://clinic.example/booking/7.1.abc?lang=de');
    const template = manageUrlEnvShape.MANAGE_URL_TEMPLATE;
    expect(template.safeParse('https://clinic.example/booking/{token}').success).toBe(true);
    expect(template.safeParse('https://clinic.example/booking/').success).toBe(false);
    expect(template.safeParse('clinic/{token}').success).toBe(false);
  });
});
