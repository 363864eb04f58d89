import { oneLine, organizationOf, type Branding, type Organization } from '../notifications/email.ts';
import { localisationFor, type Language } from '../notifications/messages/index.ts';
import { ACCOUNT_TOKEN_LIFETIME_MS, type AccountTokenPurpose } from './account-token.ts';

/** What an account email says, as plain data its template lays out. */
export interface AccountEmailContent {
  readonly kind: AccountTokenPurpose;
  /** The catalogue it is written from (the `lang` of the HTML). */
  readonly language: Language;
  readonly subject: string;
  readonly greeting: string;
  readonly headline: string;
  readonly recipient: { readonly name: string; readonly email: string };
  readonly link: string;
  readonly action: string;
  readonly validity: string;
  readonly ignore: string;
  readonly footer: string;
  readonly organization: Organization;
}

/** An account email to `recipient` in their language, with the deployment's branding: the link, how long it works, what to do if unasked. */
export function composeAccountEmail(
  kind: AccountTokenPurpose,
  recipient: { readonly name: string; readonly email: string },
  link: string,
  { locale = 'en', branding = {} }: { readonly locale?: string; readonly branding?: Branding } = {},
): AccountEmailContent {
  const { language, messages } = localisationFor(locale);
  const text = messages.account[kind];
  const organization = organizationOf(branding);
  const name = oneLine(recipient.name);
  return {
    kind,
    language,
    subject: text.subject,
    greeting: messages.common.greeting(name),
    headline: text.headline,
    recipient: { name, email: recipient.email },
    link,
    action: text.action,
    validity: messages.account.validity(ACCOUNT_TOKEN_LIFETIME_MS[kind] / 60_000),
    ignore: text.ignore,
    footer: organization.name ? messages.common.sentBy(organization.name) : messages.common.sentBySystem,
    organization,
  };
}
