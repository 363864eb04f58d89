import { z } from 'zod';
import { emailSchema, passwordSchema } from '@appointments/domain';
import { instantOutput } from '../common.schema.ts';

/** A token from an account email's link, as sent: anything that was never issued is simply not found. */
const accountToken = z.string().min(1).max(200).meta({ description: 'The token from the emailed link', examples: ['hubo3ivcp4jwdq5kxer6lyfs7mzgtan2'] });

export const passwordResetInput = z.object({ email: emailSchema }).meta({ examples: [{ email: 'client@example.com' }] });
export const accountTokenInput = z.object({ token: accountToken });
export const accountTokenOutput = z
  .object({ expires_at: instantOutput.meta({ description: 'When the link stops working', examples: ['2026-01-12T17:40:00.000Z'] }) })
  .meta({ id: 'AccountLink' });
export const passwordResetConfirmInput = z
  .object({ token: accountToken, new_password: passwordSchema })
  .meta({ examples: [{ token: 'hubo3ivcp4jwdq5kxer6lyfs7mzgtan2', new_password: 'a-new-password-1' }] });
