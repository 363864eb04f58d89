import { z } from 'zod';

/**
 * Malformed and hostile requests, generated per operation × mutation kind from the procedures'
 * own zod inputs, so a new endpoint or field is covered without editing this file.
 */

/** What the corpus reads of a procedure (the API's `restProcedures`): its tRPC path, REST route and input. */
export interface CorpusProcedure {
  readonly path: string;
  readonly meta: { readonly openapi?: { readonly method: string; readonly path: string; readonly protect?: boolean } };
  readonly input: z.ZodType | undefined;
}

/** The API under test, described by its own test: the kit cannot import the API's code. */
export interface CorpusSource {
  readonly procedures: readonly CorpusProcedure[];
  /** The API's `inputExamples`: each route (`get /api/v1/…`) with its documented example inputs. */
  readonly examples: readonly { readonly route: string; readonly examples: readonly unknown[] }[];
  /** The server's request body limit, in bytes. */
  readonly maxBodyBytes: number;
}

export type Role = 'anonymous' | 'client' | 'staff' | 'admin';

/** A JSON number literal JavaScript cannot hold (1e309 parses to Infinity): kept as raw text. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export interface HostileRequest {
  readonly kind: MutationKind;
  /** `REST <method> <path>`, `tRPC <procedure>`, or `tRPC batch`: what the case is counted under. */
  readonly target: string;
  readonly role: Role;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly label: string;
}

/** The mutation kinds, in the words a reader looks for. */
export const MUTATION_KINDS = {
  'broken-json': 'Body or ?input= that is not JSON',
  'wrong-content-type': 'text/plain, XML, multipart, or a JSON body labelled as something else',
  'non-object': 'Array, string, number, null or true where an object is expected',
  'huge-body': "A body over the server's body-size limit",
  'wrong-type': 'Each field given a value of another JSON type',
  'missing-required': 'Each required field left out',
  'huge-string': 'A 60,000-character string in each text field (under the body limit)',
  'unicode-10k': '10,000 astral characters in each text field',
  injection: 'SQL, HTML, CRLF header, NUL, lone surrogate and template strings in each text field',
  'impossible-date': '2026-02-30, 25:00, year 0, year 10000, month 13 in date, time and datetime fields',
  'dst-gap': 'A local time the clocks skip (2026-03-29T02:30 for a Europe/Berlin staff member)',
  'bad-number': '1e309, 2^53, -1, 0, 1.5, 1e-7 in each number field',
  'bad-enum': 'Values outside each enum',
  'bad-path-id': 'Path ids that are not positive int32 numbers: abc, 1.5, -1, 99999999999999999999, %00, …',
  'unknown-fields': 'Extra fields, __proto__ and constructor keys beside a base that fails anyway',
  'query-shape': 'Repeated, bracketed and empty query parameters',
  'bad-token': 'Authorization headers that are not a valid bearer token',
  'wrong-method': 'A tRPC query sent as POST, a mutation as GET, an unknown procedure',
  batch: 'tRPC batches: all calls invalid, too many calls, array inputs, unknown procedures',
  'long-url': 'A URL longer than Node accepts for the request head',
  'deep-nesting': 'Arrays and objects nested thousands of levels deep (under the body limit)',
} as const;
export type MutationKind = keyof typeof MUTATION_KINDS;

/** An id the schemas accept (a positive int32) that names nothing: requests built on it fail after validation. */
export const MISSING_ID = 2_147_483_647;

export const INJECTIONS = [
  "'; drop table users; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  'x\r\nSet-Cookie: hacked=1',
  'a\u0000b',
  '\ud800',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
] as const;
const HUGE = 'x'.repeat(60_000);
const UNICODE_10K = '😀'.repeat(5_000); // 10,000 UTF-16 units
const IMPOSSIBLE: Record<StringFlavor, readonly string[]> = {
  datetime: ['2026-02-30T10:00:00', '2026-02-02T25:00:00', '0000-01-01T10:00:00', '10000-01-01T10:00:00', '2026-13-01T10:00:00', '2026-02-02T10:60:00', '2026-02-02T10:00:00+25:00', 'tomorrow at ten'],
  date: ['2026-02-30', '0000-01-01', '10000-01-01', '2026-13-01', '2026-00-10', '2026-2-3'],
  time: ['25:00:00', '24:01:00', '12:60:00', '99:99:99', '9:00'],
  email: [],
  zone: [],
  text: [],
};
const BAD_NUMBERS = [new RawJson('1e309'), new RawJson('-1e309'), 2 ** 53, 2 ** 31, -1, 0, 1.5, 1e-7];
const BAD_PATH_IDS = ['abc', '1.5', '-1', '0', '99999999999999999999', '2147483648', '%00', '%', '%E0%A4%A', '1e3', '0x10', '%20'];
const WRONG_TYPES: Record<FieldType, readonly unknown[]> = {
  string: [42, true, null, [], { a: 1 }],
  number: ['1', true, null, [1], { a: 1 }],
  boolean: ['true', 1, null, [true]],
  enum: [5, true, null, ['client']],
  object: ['text', 42, true, null, []],
  other: [],
};

/** The wrong-type values that stay wrong when written into a URL. */
const TEXT_WRONG_TYPES = new Set<unknown>([true, WRONG_TYPES.number[4], WRONG_TYPES.string[0]].filter((v) => v !== undefined));

type FieldType = 'string' | 'number' | 'boolean' | 'enum' | 'object' | 'other';
type StringFlavor = 'datetime' | 'date' | 'time' | 'email' | 'zone' | 'text';
interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly flavor: StringFlavor;
  readonly required: boolean;
  readonly inPath: boolean;
  /** A field of an object inside the input (a guest's `email`): the object's name, and a valid value of it to change one field of. */
  readonly within?: { readonly name: string; readonly sample: Record<string, unknown> };
}

interface Operation {
  readonly procedure: CorpusProcedure;
  readonly method: string;
  readonly path: string;
  readonly isQuery: boolean;
  readonly input: z.ZodType | undefined;
  readonly fields: readonly Field[];
  readonly base: Record<string, unknown>;
  /** Fields whose base value makes any otherwise valid request fail (a missing id, a taken email). */
  readonly doom: readonly string[];
}

function unwrap(schema: z.ZodType): { core: z.ZodType; optional: boolean } {
  let core = schema;
  let optional = false;
  for (;;) {
    if (core instanceof z.ZodOptional || core instanceof z.ZodDefault) {
      optional = true;
      core = core.def.innerType as z.ZodType;
    } else if (core instanceof z.ZodNullable) core = core.def.innerType as z.ZodType;
    else if (core instanceof z.ZodPipe) core = core.def.in as z.ZodType;
    else return { core, optional };
  }
}

/** What a string field means, told by what it accepts rather than by its name. */
function flavorOf(schema: z.ZodType): StringFlavor {
  const ok = (value: string) => schema.safeParse(value).success;
  if (ok('2026-02-02') && !ok('2026-02-02T10:00:00')) return 'date';
  if (ok('09:00:00') && !ok('2026-02-02')) return 'time';
  if (ok('2026-02-02T10:00:00') && !ok('x'.repeat(41))) return 'datetime';
  if (ok('a@example.com') && !ok('abcdefghijkl')) return 'email';
  if (ok('Europe/Berlin') && !ok('abcdefghijkl')) return 'zone';
  return 'text';
}

function fieldsOf(input: z.ZodType | undefined, pathParams: readonly string[]): Field[] {
  if (!input) return [];
  const object = unwrap(input).core;
  if (!(object instanceof z.ZodObject)) return [];
  return Object.entries(object.shape as Record<string, z.ZodType>).flatMap(([name, schema]) => {
    const { core, optional } = unwrap(schema);
    const type: FieldType =
      core instanceof z.ZodString ? 'string'
      : core instanceof z.ZodNumber ? 'number'
      : core instanceof z.ZodBoolean ? 'boolean'
      : core instanceof z.ZodEnum || core instanceof z.ZodLiteral ? 'enum'
      : core instanceof z.ZodObject ? 'object'
      : 'other';
    const field: Field = { name, type, flavor: type === 'string' ? flavorOf(core) : 'text', required: !optional, inPath: pathParams.includes(name) };
    if (type !== 'object') return [field];
    // An object's own fields are listed too, each changed inside an otherwise valid object.
    const inner = fieldsOf(core, []).filter((f) => f.type !== 'object');
    const sample = Object.fromEntries(inner.filter((f) => f.required).map((f) => [f.name, sampleOf(f)]));
    return [field, ...inner.map((f) => ({ ...f, within: { name, sample } }))];
  });
}

const SAMPLE: Record<StringFlavor, string> = {
  datetime: '2026-02-02T10:00:00',
  date: '2026-02-02',
  time: '09:00:00',
  email: 'nobody@example.com',
  zone: 'Europe/Berlin',
  text: 'sample',
};

const sampleOf = (f: Field): unknown => (f.type === 'number' ? MISSING_ID : f.type === 'boolean' ? false : SAMPLE[f.flavor]);

/** A base input the schema accepts but the server refuses after validation (see `doom`). */
function baseInput(path: string, fields: readonly Field[], example: unknown, adminEmail: string): { base: Record<string, unknown>; doom: string[] } {
  const base: Record<string, unknown> = example && typeof example === 'object' ? { ...(example as Record<string, unknown>) } : {};
  for (const f of fields) {
    if (f.required && !f.within && !(f.name in base)) base[f.name] = sampleOf(f);
  }
  const doom: string[] = [];
  for (const f of fields.filter((field) => !field.within)) {
    if (f.type === 'number' && (f.name === 'id' || f.name.endsWith('_id')) && f.name in base) {
      base[f.name] = MISSING_ID;
      if (f.inPath || f.required) doom.push(f.name);
    }
  }
  if (path === 'auth.register') {
    // A too-short password fails validation before any Argon2 work; the email is taken besides (409).
    Object.assign(base, { email: adminEmail, password: 'short' });
    doom.push('email', 'password');
  }
  if (path.startsWith('manage.')) {
    // A token shaped like a real one, never issued: every case reaches past validation to be refused.
    base.token = `${MISSING_ID}.0.${'A'.repeat(32)}`;
    doom.push('token');
  }
  if (path === 'auth.login') {
    Object.assign(base, { username: 'nobody@example.com', password: 'wrong-password-1' }); // 401 whichever one a case changes
    doom.push('username', 'password');
  }
  return { base, doom };
}

export function restOperations(source: CorpusSource, adminEmail: string): Operation[] {
  const examples = new Map(source.examples.map(({ route, examples }) => [route, examples[0]]));
  return source.procedures.flatMap((procedure) => {
    const openapi = procedure.meta.openapi;
    if (!openapi) return [];
    const pathParams = [...openapi.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const fields = fieldsOf(procedure.input, pathParams);
    const { base, doom } = baseInput(procedure.path, fields, examples.get(`${openapi.method.toLowerCase()} ${openapi.path}`), adminEmail);
    const isQuery = openapi.method === 'GET';
    return [{ procedure, method: openapi.method, path: openapi.path, isQuery, input: procedure.input, fields, base, doom }];
  });
}

/** JSON text with RawJson values spliced in as written. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `\u0001raw${raws.push(v.text) - 1}\u0001` : v));
  return text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

function queryString(input: Record<string, unknown>, skip: readonly string[]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (skip.includes(key)) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else if (value instanceof RawJson) params.append(key, value.text);
    else if (value !== null && typeof value === 'object') params.append(key, JSON.stringify(value));
    else params.append(key, value === null ? '' : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function restRequest(op: Operation, input: Record<string, unknown>, role: Role, kind: MutationKind, label: string, pathOverride?: Record<string, string>): HostileRequest {
  const pathParams = op.fields.filter((f) => f.inPath).map((f) => f.name);
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => pathOverride?.[name] ?? encodeURIComponent(String(input[name] ?? '')));
  const target = `REST ${op.method} ${op.path}`;
  if (op.isQuery || op.method === 'DELETE') return { kind, target, role, label, method: op.method, path: path + queryString(input, pathParams) };
  const body = Object.fromEntries(Object.entries(input).filter(([key]) => !pathParams.includes(key)));
  return { kind, target, role, label, method: op.method, path, headers: { 'content-type': 'application/json' }, body: toJsonText(body) };
}

function trpcRequest(op: Operation, input: unknown, role: Role, kind: MutationKind, label: string): HostileRequest {
  const target = `tRPC ${op.procedure.path}`;
  const text = toJsonText(input);
  return op.isQuery
    ? { kind, target, role, label, method: 'GET', path: `/trpc/${op.procedure.path}?input=${encodeURIComponent(text)}` }
    : { kind, target, role, label, method: 'POST', path: `/trpc/${op.procedure.path}`, headers: { 'content-type': 'application/json' }, body: text };
}

function isValid(op: Operation, input: unknown): boolean {
  return op.input?.safeParse(input).success ?? input === undefined;
}

/**
 * Whether an enum field's wrong-type value is, once written into a URL as text, one of its values
 * (`true` for an enum of "true" and "false"): in a URL that is no wrong type.
 */
function enumValueAsText(op: Operation, input: Record<string, unknown>, field: Field): boolean {
  return field.type === 'enum' && isValid(op, { ...input, [field.name]: String(input[field.name]) });
}

/** Field values for each field-level kind. `always`: invalid by meaning even where the schema's type accepts it. */
function fieldMutations(f: Field): { kind: MutationKind; value: unknown; always?: boolean }[] {
  const out: { kind: MutationKind; value: unknown; always?: boolean }[] = WRONG_TYPES[f.type].map((value) => ({ kind: 'wrong-type' as const, value }));
  if (f.type === 'string') {
    out.push({ kind: 'huge-string', value: HUGE }, { kind: 'unicode-10k', value: UNICODE_10K });
    for (const value of INJECTIONS) out.push({ kind: 'injection', value });
    for (const value of IMPOSSIBLE[f.flavor]) out.push({ kind: 'impossible-date', value, always: true });
  }
  if (f.type === 'number') for (const value of BAD_NUMBERS) out.push({ kind: 'bad-number', value });
  if (f.type === 'enum') for (const value of ['unknown', 'ADMIN', 'Cancelled', '', 'cancelled ']) out.push({ kind: 'bad-enum', value });
  return out;
}

const ROLES: readonly Role[] = ['anonymous', 'client', 'staff', 'admin'];

/** The base input with one field set (inside its object, for an object's field). */
function withField(op: Operation, f: Field, value: unknown): Record<string, unknown> {
  return f.within ? { ...op.base, [f.within.name]: { ...f.within.sample, [f.name]: value } } : { ...op.base, [f.name]: value };
}

/** The base input without one field. */
function withoutField(op: Operation, f: Field): Record<string, unknown> {
  const { [f.name]: _dropped, ...rest } = f.within ? f.within.sample : op.base;
  return f.within ? { ...op.base, [f.within.name]: rest } : rest;
}

/**
 * Every generated case: REST and tRPC, per operation × kind; field-level cases as admin, so
 * validation runs past auth. An object inside a body may be what lets a request in without a token
 * (a guest's details): its invalid values are sent anonymously as well.
 */
export function generateCorpus(source: CorpusSource, adminEmail: string): HostileRequest[] {
  const cases: HostileRequest[] = [];
  for (const op of restOperations(source, adminEmail)) {
    const hasBody = !op.isQuery && op.method !== 'DELETE';
    // Field-level kinds, each on REST and on tRPC.
    for (const f of op.fields) {
      if (op.isQuery && (f.within || f.type === 'object')) continue;
      const name = f.within ? `${f.within.name}.${f.name}` : f.name;
      const nested = Boolean(f.within) || f.type === 'object';
      for (const { kind, value, always } of fieldMutations(f)) {
        const input = withField(op, f, value);
        const dooms = op.doom.some((d) => d !== f.name);
        if (!always && !dooms && isValid(op, input)) continue; // a valid write: covered by the valid-hostile test
        if (f.inPath && (kind === 'huge-string' || kind === 'unicode-10k')) continue;
        const label = `${name}=${JSON.stringify(value instanceof RawJson ? value.text : value)?.slice(0, 40)}`;
        // In a URL every value is text: "1", [1] and null read as valid numbers or as nothing there.
        const asText = f.inPath || op.isQuery;
        if (!(asText && kind === 'wrong-type' && (!TEXT_WRONG_TYPES.has(value) || enumValueAsText(op, input, f)))) cases.push(restRequest(op, input, 'admin', kind, label));
        cases.push(trpcRequest(op, input, 'admin', kind, label));
        if (nested && !isValid(op, input)) cases.push(restRequest(op, input, 'anonymous', kind, label), trpcRequest(op, input, 'anonymous', kind, label));
      }
      if (f.required && !f.inPath) {
        const input = withoutField(op, f);
        const roles: Role[] = f.within ? ['admin', 'anonymous'] : ['admin'];
        for (const role of roles) cases.push(restRequest(op, input, role, 'missing-required', `without ${name}`), trpcRequest(op, input, role, 'missing-required', `without ${name}`));
      }
      if (f.inPath) {
        for (const id of BAD_PATH_IDS) cases.push(restRequest(op, op.base, 'admin', 'bad-path-id', `${f.name}=${id}`, { [f.name]: id }));
        // Validation must not depend on who asks: the same bad id as every role.
        for (const role of ROLES) cases.push(restRequest(op, op.base, role, 'bad-path-id', `${f.name}=abc as ${role}`, { [f.name]: 'abc' }));
      }
    }
    const firstField = op.fields.find((f) => !f.inPath && !f.within && WRONG_TYPES[f.type].length > 0);
    if (firstField) {
      for (const role of ROLES) {
        const input = { ...op.base, [firstField.name]: firstField.type === 'boolean' ? 'yes' : true };
        if (!(op.isQuery && enumValueAsText(op, input, firstField))) cases.push(restRequest(op, input, role, 'wrong-type', `${firstField.name} wrong type as ${role}`));
        cases.push(trpcRequest(op, input, role, 'wrong-type', `${firstField.name} wrong type as ${role}`));
      }
    }
    // Unknown fields beside a base that fails anyway (a missing id, a taken email), or beside an empty required field.
    const extras = JSON.parse('{"extra":1,"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"polluted":true}},"is_admin":true}') as Record<string, unknown>;
    const unknownInput = { ...op.base, ...extras };
    if (op.fields.length > 0 && (op.doom.length > 0 || !isValid(op, unknownInput))) {
      cases.push(restRequest(op, unknownInput, 'admin', 'unknown-fields', 'extra, __proto__, constructor'), trpcRequest(op, unknownInput, 'admin', 'unknown-fields', 'extra, __proto__, constructor'));
    }
    if (op.isQuery) {
      const first = op.fields.find((f) => !f.inPath && !f.within);
      if (first) {
        const path = restRequest(op, op.base, 'admin', 'query-shape', '').path.split('?')[0]!;
        for (const query of [`${first.name}=1&${first.name}=2`, `${first.name}[]=1`, `${first.name}[a]=1`, `${first.name}=%`, `${first.name}=%00`]) {
          const input = Object.fromEntries(new URLSearchParams(query));
          if (op.doom.length === 0 && isValid(op, input)) continue;
          cases.push({ kind: 'query-shape', target: `REST ${op.method} ${op.path}`, role: 'admin', label: query, method: op.method, path: `${path}?${query}` });
        }
      }
    }
    if (hasBody) {
      const { path } = restRequest(op, op.base, 'admin', 'broken-json', '');
      const rest = (kind: MutationKind, label: string, body: string, type = 'application/json'): HostileRequest =>
        ({ kind, target: `REST ${op.method} ${op.path}`, role: 'admin', label, method: op.method, path, headers: { 'content-type': type }, body });
      const trpc = (kind: MutationKind, label: string, body: string, type = 'application/json'): HostileRequest =>
        ({ kind, target: `tRPC ${op.procedure.path}`, role: 'admin', label, method: 'POST', path: `/trpc/${op.procedure.path}`, headers: { 'content-type': type }, body });
      for (const body of ['{"a":', "{'a':1}", '{"a":1,}', '\u0000', '{"a":1}}']) cases.push(rest('broken-json', JSON.stringify(body), body), trpc('broken-json', JSON.stringify(body), body));
      for (const [type, body] of [['text/plain', '{}'], ['application/xml', '<a>1</a>'], ['multipart/form-data; boundary=x', '--x\r\n\r\n1\r\n--x--'], ['application/octet-stream', '\u00ff\u00fe']] as const) {
        cases.push(rest('wrong-content-type', type, body, type));
      }
      for (const body of ['[]', `[${toJsonText(op.base)}]`, '"text"', '42', 'null', 'true']) {
        cases.push(rest('non-object', body.slice(0, 30), body));
        if (!isValid(op, JSON.parse(body))) cases.push(trpc('non-object', body.slice(0, 30), body));
      }
      const huge = JSON.stringify({ ...op.base, padding: 'x'.repeat(source.maxBodyBytes + 1) });
      cases.push(rest('huge-body', `${huge.length} bytes`, huge), trpc('huge-body', `${huge.length} bytes`, huge));
      // Deep enough to overflow a recursive walk or JSON.stringify, small enough to pass the size limit.
      const first = op.fields.find((f) => !f.inPath && !f.within)?.name ?? 'x';
      for (const [label, open, close] of [['16,000 nested arrays', '[', ']'], ['6,000 nested objects', '{"a":', '}']] as const) {
        const depth = open === '[' ? 16_000 : 6_000;
        const body = `{"${first}":${open.repeat(depth)}${open === '[' ? '' : '1'}${close.repeat(depth)}}`;
        cases.push(rest('deep-nesting', label, body), trpc('deep-nesting', label, body));
      }
    } else {
      cases.push({ kind: 'broken-json', target: `tRPC ${op.procedure.path}`, role: 'admin', label: '?input={', method: 'GET', path: `/trpc/${op.procedure.path}?input=%7B` });
    }
    // tRPC by the wrong method.
    cases.push(
      op.isQuery
        ? { kind: 'wrong-method', target: `tRPC ${op.procedure.path}`, role: 'admin', label: 'query by POST', method: 'POST', path: `/trpc/${op.procedure.path}`, headers: { 'content-type': 'application/json' }, body: '{}' }
        : { kind: 'wrong-method', target: `tRPC ${op.procedure.path}`, role: 'admin', label: 'mutation by GET', method: 'GET', path: `/trpc/${op.procedure.path}?input=%7B%7D` },
    );
    // Bearer tokens that are not ours, on protected operations.
    if (op.procedure.meta.openapi?.protect) {
      for (const authorization of ["Bearer ' OR 1=1 --", `Bearer ${'A'.repeat(8_000)}`, 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer a b']) {
        const req = restRequest(op, op.base, 'anonymous', 'bad-token', authorization.slice(0, 30));
        cases.push({ ...req, headers: { ...req.headers, authorization } });
      }
    }
  }
  return [...cases, ...batchCases(source.maxBodyBytes), ...longUrlCases()];
}

function batchCases(maxBodyBytes: number): HostileRequest[] {
  const batch = (label: string, method: string, names: string, body?: string, query = ''): HostileRequest => ({
    kind: 'batch',
    target: 'tRPC batch',
    role: 'admin',
    label,
    method,
    path: `/trpc/${names}?batch=1${query}`,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body }),
  });
  const enc = (value: unknown) => `&input=${encodeURIComponent(JSON.stringify(value))}`;
  return [
    batch('two invalid gets', 'GET', 'appointments.get,users.update', undefined, enc({ 0: { id: 'abc' }, 1: { id: -1 } })),
    batch('invalid queries', 'GET', 'appointments.get,availability.slots,users.list', undefined, enc({ 0: { id: 1.5 }, 1: { staff_id: 'x' }, 2: { limit: 0 } })),
    batch('invalid mutations', 'POST', 'appointments.create,availability.create,users.update', JSON.stringify({ 0: { staff_id: 'x' }, 1: [], 2: { id: 0 } })),
    batch('21 calls', 'GET', Array.from({ length: 21 }, () => 'users.list').join(','), undefined, enc({})),
    batch('array input', 'GET', 'users.list,users.list', undefined, '&input=[1,2]'),
    batch('array body', 'POST', 'appointments.create,appointments.create', '[{},{}]'),
    batch('unknown procedures', 'POST', 'nope.nope,__proto__.constructor', JSON.stringify({ 0: {}, 1: {} })),
    batch('broken input', 'GET', 'users.list,users.list', undefined, '&input=%7B'),
    batch('body over the limit', 'POST', 'appointments.create,appointments.create', JSON.stringify({ 0: { notes: 'x'.repeat(maxBodyBytes) }, 1: {} })),
    batch('empty names', 'GET', ',,', undefined, enc({})),
  ];
}

function longUrlCases(): HostileRequest[] {
  const long = (path: string): HostileRequest => ({ kind: 'long-url', target: 'node:http', role: 'admin', label: `${path.length}-char URL`, method: 'GET', path });
  return [long(`/api/v1/users?limit=${'1'.repeat(20_000)}`), long(`/trpc/users.list?input=${'%7B'.repeat(10_000)}`), long(`/api/v1/appointments/${'9'.repeat(20_000)}`)];
}

/** Stack frames, driver and ORM messages, SQL errors: none may reach a client. */
const LEAK = /\n\s*at |\bat \S+ \(|file:\/\/|node_modules|\.ts:\d+|SQLITE_|SQLSTATE|syntax error at|violates .* constraint|duplicate key|MikroORM|DriverException|invalid byte sequence/i;

export interface ErrorAnswer {
  readonly status: number;
  readonly type: string | null;
  readonly text: string;
}

/** Every error in an answer as {code, message}: REST's body, tRPC's `error`, or each call of a batch. */
function errorsOf(json: unknown): { code: unknown; message: unknown }[] {
  const one = (item: unknown) => {
    const error = (item as { error?: { message?: unknown; data?: { code?: unknown } } }).error;
    return error ? { code: error.data?.code, message: error.message } : (item as { code: unknown; message: unknown });
  };
  return Array.isArray(json) ? json.map(one) : [one(json)];
}

/** What is wrong with an answer to an invalid request, or undefined: a 4xx JSON {code, message} (tRPC's envelope too) with no internals. */
export function errorAnswerProblem(answer: ErrorAnswer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}: ${answer.text.slice(0, 160)}`;
  if (!answer.type?.startsWith('application/json')) return `content-type ${answer.type}`;
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return `not JSON: ${answer.text.slice(0, 80)}`;
  }
  for (const { code, message } of errorsOf(json)) if (typeof code !== 'string' || typeof message !== 'string') return `no code/message: ${answer.text.slice(0, 120)}`;
  if (LEAK.test(answer.text)) return `leaks internals: ${answer.text.slice(0, 200)}`;
  return undefined;
}
