import { describe, expect, it } from 'vitest';
import { emailSchema, fullNameSchema, isValidTimeZone, passwordSchema, timezoneSchema } from './user.ts';

describe('user field rules', () => {
  it('normalises email to lower case and trims it', () => {
    expect(emailSchema.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it.each(['not-an-email', 'a@b', '', `${'a'.repeat(250)}@example.com`])('rejects email %j', (email) => {
    expect(emailSchema.safeParse(email).success).toBe(false);
  });

  it.each(['Ada\nLovelace', 'Ada\u0000', 'Tab\there', 'Bidi\u202eevil', 'Line\u2028sep', 'Del\u007f'])(
    'rejects control characters in full_name %j',
    (name) => {
      expect(fullNameSchema.safeParse(name).success).toBe(false);
    },
  );

  it('accepts names in any script and trims them', () => {
    expect(fullNameSchema.parse('  Zoë Ñúñez 山田 ')).toBe('Zoë Ñúñez 山田');
  });

  it('enforces password length bounds', () => {
    expect(passwordSchema.safeParse('1234567').success).toBe(false);
    expect(passwordSchema.safeParse('12345678').success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(257)).success).toBe(false);
  });

  it.each([
    ['utc', 'UTC'],
    ['europe/berlin', 'Europe/Berlin'],
    ['Europe/Berlin', 'Europe/Berlin'],
  ])('stores time zone %j as %j', (zone, canonical) => {
    expect(timezoneSchema.parse(zone)).toBe(canonical);
  });

  it.each([
    ['Europe/Berlin', true],
    ['America/Argentina/Buenos_Aires', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['+02:00', false],
    ['', false],
  ])('time zone %j valid: %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});
