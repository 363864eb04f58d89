import { lookup } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address.ts';
import { urlHost } from './url.ts';

export interface WebhookPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, sent as is (it is what the signature covers). */
  readonly body: string;
  /** The whole exchange: resolving, connecting, sending and reading the answer. */
  readonly timeoutMs: number;
  /** Lets the POST reach any address, for development and tests against local receivers. */
  readonly allowPrivate: boolean;
  /** How much of the answer to read; the rest is never received. */
  readonly maxResponseBytes?: number;
}

export type WebhookPostResult = { kind: 'response'; status: number; body: string } | { kind: 'error'; error: string };

const userAgent = 'appointments-webhooks/1';
const maxErrorLength = 200;

const refusal = (message: string) => new Error(`refused: ${message}`);

/**
 * Resolves as the system would, and fails the connection unless every address is public. The
 * addresses judged are the ones connected to, so a name pointed elsewhere after its URL was
 * checked (DNS rebinding) still cannot reach inside.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const [first] = addresses;
    if (!first || !addresses.every(({ address }) => isPublicAddress(address))) {
      return callback(refusal(`${hostname} resolves to a private, local or reserved address`), '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
};

const connectionErrors: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (the DNS lookup failed for now)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function describe(error: unknown): string {
  const { code, message } = error instanceof Error ? (error as NodeJS.ErrnoException) : { code: undefined, message: String(error) };
  const known = code === undefined ? undefined : connectionErrors[code];
  if (known) return known;
  if (code === undefined || !/CERT|^ERR_TLS_|^ERR_SSL_|^EPROTO$/.test(code)) return message.slice(0, maxErrorLength);
  // OpenSSL's messages name its function and source file around the reason, which alone is useful.
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message;
  return `TLS error: ${reason}`.slice(0, maxErrorLength);
}

async function readAtMost(response: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the response: the rest of an oversized answer is never received.
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

async function send(post: WebhookPost, signal: AbortSignal): Promise<WebhookPostResult> {
  const url = URL.parse(post.url);
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') throw new Error('not an http(s) URL');
  const host = urlHost(url);
  // An address literal is connected to without a lookup, so it is judged here.
  if (!post.allowPrivate && isIP(host) !== 0 && !isPublicAddress(host)) throw refusal(`${host} is a private, local or reserved address`);
  const request = (url.protocol === 'https:' ? https : http).request(url, {
    method: 'POST',
    headers: { ...post.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(post.body), 'user-agent': userAgent },
    signal,
    // A connection of its own, checked at connect time for this POST (a pooled one skips the lookup).
    agent: false,
    lookup: post.allowPrivate ? undefined : publicOnlyLookup,
  });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve).on('error', reject).end(post.body);
  });
  // Redirects are not followed: a 3xx is an answer like any other that is not a 2xx.
  return { kind: 'response', status: response.statusCode ?? 0, body: await readAtMost(response, post.maxResponseBytes ?? 1024) };
}

/**
 * POSTs one webhook and reports what came back, or why nothing did; never throws. Unless
 * `allowPrivate`, only public addresses are connected to, checked at connect time.
 */
export async function postWebhook(post: WebhookPost): Promise<WebhookPostResult> {
  const signal = AbortSignal.timeout(post.timeoutMs);
  try {
    return await send(post, signal);
  } catch (error) {
    return { kind: 'error', error: signal.aborted ? `timed out after ${post.timeoutMs} ms` : describe(error) };
  }
}
