import { z } from 'zod';
import { normalizeEmail } from '@appointments/domain';

// No email holds control characters, and PostgreSQL cannot even compare a string holding NUL.
const accountEmail = z.string().max(254).regex(/^[^\u0000-\u001f\u007f]*$/, 'Must not contain control characters');

/**
 * OAuth2 password form, as the seed: `username` is the email. A JSON body may name it `email`
 * instead (both are fine when they name the same account); the handler gets `email` either way.
 */
export const loginInput = z
  .object({
    username: accountEmail.optional().meta({ description: 'The account email' }),
    email: accountEmail.optional().meta({ description: 'The account email, in place of `username`' }),
    password: z.string().max(1024),
  })
  .superRefine(({ username, email }, ctx) => {
    // Without either, the answer is the one a missing `username` always had.
    if (username === undefined && email === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['username'] });
    else if (username !== undefined && email !== undefined && normalizeEmail(username) !== normalizeEmail(email)) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'username and email name different accounts: give one of them' });
    }
  })
  .transform(({ username, email, password }) => ({ email: (email ?? username)!, password }))
  .meta({ examples: [{ username: 'client@example.com', password: 'password123' }] });
export const loginOutput = z
  .object({ access_token: z.string().meta({ examples: ['hubo3ivcp4jwdq5kxer6lyfs7mzgtan2'] }), token_type: z.literal('bearer') })
  .meta({ id: 'Token' });
