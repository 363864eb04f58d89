import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { CollectionResult, Options } from 'openapi-to-postmanv2';
import { TOKEN_URL } from './openapi.ts';

export const COLLECTION_NAME = 'Appointment Scheduling API';
/** Where the API listens with its default HOST and PORT (env.ts). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';
/** The committed copy at the repository root and the command that rewrites it (postman-main.ts). */
export const COLLECTION_FILE = fileURLToPath(new URL('../../../../appointment_scheduling.postman_collection.json', import.meta.url));
export const REGENERATE_COMMAND = 'pnpm postman';

/** The parts of a Postman v2.1 collection read or rewritten here; the converter writes the rest. */
interface PostmanRequest {
  method: string;
  url: { host?: string[]; path?: string[] };
  auth?: unknown;
}
interface PostmanItem {
  id?: string;
  name: string;
  item?: PostmanItem[];
  request?: PostmanRequest;
  response?: { id?: string; name: string; code?: number }[];
  event?: unknown[];
}
export interface PostmanCollection {
  info: { _postman_id?: string; name: string; description?: { content?: string } };
  item: PostmanItem[];
  auth?: unknown;
  event?: unknown[];
  variable?: { key: string; value: string; type: string }[];
}

const OPTIONS: Options = {
  folderStrategy: 'Tags',
  // The document's request examples (login, booking, …) make requests that work as they are.
  parametersResolution: 'Example',
  // Optional parameters come disabled: made-up values (a `cursor`, say) would only get a 422.
  enableOptionalParameters: false,
  // The converter ignores examples of form bodies: the login's JSON body keeps its example.
  preferredRequestBodyType: 'raw',
  // Requests take the token from the collection's auth, not from a header of their own.
  includeAuthInfoInExample: false,
};

/** Stores the token of a successful login where the collection's bearer auth reads it. */
const STORE_TOKEN = {
  listen: 'test',
  script: { type: 'text/javascript', exec: ["if (pm.response.code === 200) pm.collectionVariables.set('bearerToken', pm.response.json().access_token);"] },
};

/** The converter's own JSON Schema faker: one instance shared by every conversion in the process. */
type SchemaFaker = { option(options: { random: () => number }): void };

/** Values the faker makes up (numbers, dates, enum picks, pattern strings) from a fixed stream instead of Math.random. */
function fixedRandom(): () => number {
  let n = 0;
  return () => createHash('sha256').update(String(n++)).digest().readUInt32BE(0) / 2 ** 32;
}

/** A UUID (RFC 9562 version 8) derived from an item's place in the collection, for the converter's random ones. */
function stableId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  const variant = (8 + (parseInt(hex[16]!, 16) % 4)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `POST {{baseUrl}}/api/v1/appointments`: path parameters read `:id`. */
export function requestLine(request: PostmanRequest): string {
  return `${request.method} ${[...(request.url.host ?? []), ...(request.url.path ?? [])].join('/')}`;
}

export function requestLines(items: PostmanItem[]): string[] {
  return items.flatMap((item) => [...(item.request ? [requestLine(item.request)] : []), ...requestLines(item.item ?? [])]);
}

/**
 * Stable ids keyed by each item's path (folder, then method and URL), and one auth for all: the
 * converter gives OAuth2 settings to secured operations and "no auth" to those where a token is
 * optional (yet an admin's makes register create staff). Every request inherits the collection's
 * bearer; the API ignores a token where it does not read one.
 */
function settle(items: PostmanItem[], parent: string): void {
  for (const item of items) {
    const key = `${parent}/${item.request ? requestLine(item.request) : item.name}`;
    if (item.id !== undefined) item.id = stableId(key);
    for (const response of item.response ?? []) if (response.id !== undefined) response.id = stableId(`${key}/${response.code ?? 'default'} ${response.name}`);
    if (item.request) {
      delete item.request.auth;
      if (requestLine(item.request) === `POST {{baseUrl}}${TOKEN_URL}`) item.event = [STORE_TOKEN];
    }
    settle(item.item ?? [], key);
  }
}

/**
 * The Postman collection of an OpenAPI document (JSON text), one folder per tag. Equal documents
 * give equal collections, so a committed copy can be compared with a fresh one.
 */
export async function createPostmanCollection(openApiJson: string): Promise<PostmanCollection> {
  // Loaded on first use: it takes a good fraction of a second and most processes never convert.
  const { convertV2 } = await import('openapi-to-postmanv2');
  // Not part of its API, but the only way to seed it; the version is pinned and a test compares two generations.
  const faker = createRequire(import.meta.url)('openapi-to-postmanv2/assets/json-schema-faker.js') as SchemaFaker;
  faker.option({ random: fixedRandom() });
  // convertV2 calls back before it returns, so no other conversion can draw from this stream.
  const result = await new Promise<CollectionResult>((resolve, reject) =>
    convertV2({ type: 'string', data: openApiJson }, OPTIONS, (error, converted) =>
      converted?.result ? resolve(converted) : reject(new Error(`openapi-to-postmanv2: ${error?.message ?? converted?.reason}`)),
    ),
  );
  const { info, item, event } = result.output?.[0]?.data as PostmanCollection;
  settle(item, '');
  return {
    info: {
      ...info,
      _postman_id: stableId(COLLECTION_NAME),
      name: COLLECTION_NAME,
      description: { ...info.description, content: `${info.description?.content ?? ''}\n\nLog in first (POST ${TOKEN_URL}): it stores the token in \`bearerToken\`, which every request sends.` },
    },
    item,
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{bearerToken}}', type: 'string' }] },
    event,
    variable: [
      { key: 'baseUrl', value: DEFAULT_BASE_URL, type: 'string' },
      { key: 'bearerToken', value: '', type: 'string' },
    ],
  };
}

/** The file's text, and the body of GET /postman.json. */
export function collectionJson(collection: PostmanCollection): string {
  return `${JSON.stringify(collection, null, 2)}\n`;
}
