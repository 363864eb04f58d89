import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './address.ts';

export type ResolveHost = (host: string) => Promise<string[]>;

export interface WebhookUrlOptions {
  /** Lets a webhook reach any address, for development and tests against local receivers. */
  readonly allowPrivate: boolean;
  /** Every address of a host name; by default the system resolver's (as a connection would use). */
  readonly resolve?: ResolveHost;
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const maxLength = 2048;

/** Zones whose names lead inside the sender's network whatever they resolve to today. */
const internalZones = ['localhost', 'local', 'internal', 'home.arpa'];

const resolveAll: ResolveHost = async (host) => (await lookup(host, { all: true })).map(({ address }) => address);

/** The host of `url` as an address or name, without the brackets of an IPv6 literal. */
export const urlHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Judges a URL a webhook is to be sent to. Unless `allowPrivate`, its host must be public: an
 * address literal public itself, a name neither internal (`localhost`, `*.internal` such as
 * `metadata.google.internal`) nor resolving to any address that is not public. Reasons are
 * sentences for the person who entered the URL.
 */
export async function checkWebhookUrl(raw: string, options: WebhookUrlOptions): Promise<WebhookUrlCheck> {
  if (raw.length > maxLength) return { ok: false, reason: `The webhook URL is longer than ${maxLength} characters.` };
  // The WHATWG parser refuses an http(s) URL without a host, and canonicalizes the host
  // (lower case; IPv4 in any notation, such as 2130706433 or 0x7f.1, as a dotted quad).
  const url = URL.parse(raw);
  if (!url) return { ok: false, reason: 'The webhook URL is not a valid absolute URL.' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'The webhook URL must start with https:// or http://.' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'The webhook URL must not contain a user name or password.' };
  if (options.allowPrivate) return { ok: true, url };

  const host = urlHost(url);
  if (isIP(host) !== 0) {
    return isPublicAddress(host) ? { ok: true, url } : { ok: false, reason: `The webhook URL's address ${host} is private, local or reserved; webhooks are sent to public addresses only.` };
  }
  const name = host.replace(/\.$/, '');
  if (internalZones.some((zone) => name === zone || name.endsWith(`.${zone}`))) {
    return { ok: false, reason: `The webhook URL's host ${host} is a local or internal name; webhooks are sent to public hosts only.` };
  }
  const addresses = await (options.resolve ?? resolveAll)(host).catch(() => []);
  if (addresses.length === 0) return { ok: false, reason: `The webhook URL's host ${host} could not be resolved.` };
  if (!addresses.every(isPublicAddress)) {
    return { ok: false, reason: `The webhook URL's host ${host} resolves to a private, local or reserved address; webhooks are sent to public addresses only.` };
  }
  return { ok: true, url };
}
