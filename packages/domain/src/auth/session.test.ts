import { describe, expect, it } from 'vitest';
import { sessionExpiry, sessionState } from './session.ts';

const DAY = 86_400_000;
const now = new Date('2026-03-29T00:30:00Z');

describe('session lifetime', () => {
  it('expires a full lifetime after creation', () => {
    expect(sessionExpiry(now, 8 * DAY).getTime() - now.getTime()).toBe(8 * DAY);
  });

  it.each([
    [8 * DAY, 'valid'],
    [4 * DAY + 1, 'valid'],
    [4 * DAY - 1, 'renew'],
    [1, 'renew'],
    [0, 'expired'],
    [-1, 'expired'],
  ] as const)('with %i ms left it is %s', (remaining, state) => {
    expect(sessionState(new Date(now.getTime() + remaining), now, 8 * DAY)).toBe(state);
  });
});
