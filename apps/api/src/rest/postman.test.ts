import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@appointments/testkit/api';
import { parseEnv } from '../env.ts';
import { createServer } from '../server.ts';
import { createOpenApiDocument } from './openapi.ts';
import { COLLECTION_FILE, COLLECTION_NAME, collectionJson, createPostmanCollection, REGENERATE_COMMAND, requestLines, type PostmanCollection } from './postman.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const document = createOpenApiDocument(COLLECTION_NAME);
/** Every operation of the document as the collection writes its request: `POST {{baseUrl}}/api/v1/appointments/:id/cancel`. */
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => (item?.[method] ? [`${method.toUpperCase()} {{baseUrl}}${path.replace(/\{(\w+)\}/g, ':$1')}`] : [])),
);

let fresh: string;
let collection: PostmanCollection;

beforeAll(async () => {
  collection = await createPostmanCollection(JSON.stringify(document));
  fresh = collectionJson(collection);
});

describe('the committed collection', () => {
  it(`equals a fresh generation from the OpenAPI document (else: run \`${REGENERATE_COMMAND}\`)`, () => {
    const committed = existsSync(COLLECTION_FILE) ? readFileSync(COLLECTION_FILE, 'utf8') : '';
    if (committed === fresh) return;
    const before = committed ? requestLines((JSON.parse(committed) as PostmanCollection).item) : [];
    const after = requestLines(collection.item);
    const changes = [...after.filter((line) => !before.includes(line)).map((line) => `+ ${line}`), ...before.filter((line) => !after.includes(line)).map((line) => `- ${line}`)];
    // Said once, plainly: a diff of two 500 kB strings would bury the one thing to do.
    expect.fail(
      [`${basename(COLLECTION_FILE)} is out of date with the OpenAPI document: run \`${REGENERATE_COMMAND}\` at the repository root and commit the file.`, ...changes].join('\n'),
    );
  });

  it('is the same on every generation, ids included', async () => {
    expect(collectionJson(await createPostmanCollection(JSON.stringify(document)))).toBe(fresh);
  });
});

describe('the collection', () => {
  it('authenticates every request with the collection bearer token from {{bearerToken}}, which logging in stores', () => {
    expect(collection.info.name).toBe('Appointment Scheduling API');
    expect(collection.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{bearerToken}}', type: 'string' }] });
    expect(collection.variable?.find((v) => v.key === 'bearerToken')).toEqual({ key: 'bearerToken', value: '', type: 'string' });
    // The collection's own auth is the only one: no request overrides it.
    expect(fresh.match(/"auth":/g)).toHaveLength(1);
    const login = collection.item.flatMap((folder) => folder.item ?? []).find((item) => item.name === 'Log in and get a bearer token');
    expect(JSON.stringify(login?.event)).toContain("pm.collectionVariables.set('bearerToken', pm.response.json().access_token)");
  });

  it('points {{baseUrl}} at the API on its default HOST and PORT', () => {
    const { HOST, PORT } = parseEnv({ SECRET_KEY: 'postman-test-secret-key' });
    expect(collection.variable?.find((v) => v.key === 'baseUrl')).toEqual({ key: 'baseUrl', value: `http://${HOST}:${PORT}`, type: 'string' });
  });

  it('has one request per operation of the OpenAPI document, in a folder per tag', () => {
    const lines = requestLines(collection.item);
    expect(lines).toHaveLength(operations.length);
    expect(lines.toSorted()).toEqual(operations.toSorted());
    expect(lines).toContain('POST {{baseUrl}}/api/v1/appointments');
    expect(collection.item.map((folder) => folder.name)).toEqual(document.tags?.map((tag) => tag.name));
  });

  it('gives every request and example an id of its own', () => {
    const ids = (JSON.stringify(collection).match(/"(?:id|_postman_id)":"[^"]+"/g) ?? []).map((pair) => pair.split(':')[1]);
    expect(ids.length).toBeGreaterThan(operations.length);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('GET /postman.json', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ createServer, parseEnv }, 'sqlite');
  });
  afterAll(() => t?.close());

  it('answers the collection with the headers of /openapi.json, and the same again', async () => {
    const openApi = await fetch(`${t.url}/openapi.json`);
    for (const attempt of [1, 2]) {
      const res = await fetch(`${t.url}/postman.json`);
      expect(res.status, `request ${attempt}`).toBe(200);
      for (const header of ['content-type', 'cache-control']) expect(res.headers.get(header)).toBe(openApi.headers.get(header));
      expect(await res.text()).toBe(fresh);
    }
  });
});
