import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a manage link stands for: one appointment, as of one version. */
export interface ManageGrant {
  readonly appointmentId: number;
  readonly sequence: number;
}

/** Where the API serves the manage routes; the default link points here. */
export const MANAGE_PATH = '/api/v1/manage';

/** MAC bytes kept: 192 bits, well past guessing, in 32 base64url characters. */
const MAC_BYTES = 24;
const TOKEN = /^([1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.([A-Za-z0-9_-]{32})$/;

/** The key is derived for this one use, so a MAC made here is worth nothing anywhere else SECRET_KEY signs. */
const macKey = (secret: string) => createHmac('sha256', secret).update('appointments/manage-link/v1').digest();

const mac = (key: Buffer, { appointmentId, sequence }: ManageGrant) =>
  createHmac('sha256', key).update(`${appointmentId}.${sequence}`).digest().subarray(0, MAC_BYTES);

export interface ManageTokens {
  /** `<id>.<sequence>.<mac>`: stateless; a later version of the appointment makes it stale. */
  issue(grant: ManageGrant): string;
  /** The grant a token carries, or null when it was not made with this key (forged, altered, garbage). */
  read(token: string): ManageGrant | null;
}

export function manageTokens(secret: string): ManageTokens {
  const key = macKey(secret);
  return {
    issue: (grant) => `${grant.appointmentId}.${grant.sequence}.${mac(key, grant).toString('base64url')}`,
    read(token) {
      const match = TOKEN.exec(token);
      if (!match) return null;
      const grant = { appointmentId: Number(match[1]), sequence: Number(match[2]) };
      if (grant.appointmentId > 2_147_483_647 || grant.sequence > 2_147_483_647) return null;
      const given = Buffer.from(match[3]!, 'base64url');
      return given.length === MAC_BYTES && timingSafeEqual(given, mac(key, grant)) ? grant : null;
    },
  };
}

/** MANAGE_URL_TEMPLATE: where the links in emails point; `{token}` is replaced by the token. */
export const manageUrlEnvShape = {
  MANAGE_URL_TEMPLATE: z
    .string()
    .trim()
    .refine((template) => template.includes('{token}') && URL.canParse(template.replaceAll('{token}', 'x')), {
      message: 'MANAGE_URL_TEMPLATE takes a URL with {token} in it, e.g. https://clinic.example/booking/{token}',
    })
    .optional(),
};

/** The manage page's URL for a token: the template's, or the API's own route under PUBLIC_URL. */
export function manageUrlFor(publicUrl: string, template: string | undefined): (token: string) => string {
  const pattern = template ?? `${publicUrl}${MANAGE_PATH}/{token}`;
  return (token) => pattern.replaceAll('{token}', encodeURIComponent(token));
}
