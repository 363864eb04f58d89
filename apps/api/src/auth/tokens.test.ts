import { describe, expect, it } from 'vitest';
import { generateToken, hashToken } from './tokens.ts';

describe('tokens', () => {
  it('are stored as their SHA-256 in hex, as sessions written by earlier versions were', () => {
    // FIPS 180-2's test vector for "abc".
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c'); // as UTF-8
  });

  it('are 160 random bits in lower-case base32, different each time', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
  });
});
