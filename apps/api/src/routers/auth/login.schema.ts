import { z } from 'zod';

/** OAuth2 password form, as the seed: `username` is the email. */
export const loginInput = z.object({
  // No email holds control characters, and PostgreSQL cannot even compare a string holding NUL.
  username: z.string().max(254).regex(/^[^\u0000-\u001f\u007f]*$/, 'Must not contain control characters').meta({ description: 'The account email' }),
  password: z.string().max(1024),
}).meta({ examples: [{ username: 'client@example.com', password: 'password123' }] });
export const loginOutput = z
  .object({ access_token: z.string().meta({ examples: ['hubo3ivcp4jwdq5kxer6lyfs7mzgtan2'] }), token_type: z.literal('bearer') })
  .meta({ id: 'Token' });
