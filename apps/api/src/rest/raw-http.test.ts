import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApi, type ApiProcess } from '@appointments/testkit/processes';
import { errorAnswerProblem } from '@appointments/testkit/hostile';

/**
 * What a client can put on the wire that an HTTP client library never sends: every request-target
 * form (RFC 9112 §3.2), broken percent-encoding, missing or doubled headers, odd framing. Sent over
 * raw sockets to a real API process, so a crash shows as the process exiting.
 */
interface RawCase {
  readonly name: string;
  readonly request: string;
  /** The exact status when one is right; otherwise any 2xx-4xx. */
  readonly status?: number;
}

const H = 'Host: localhost\r\nConnection: close\r\n';
const line = (requestLine: string, headers = H) => `${requestLine}\r\n${headers}\r\n`;

const CORPUS: readonly RawCase[] = [
  // Asterisk form: only OPTIONS may use it (the server as a whole); anything else is a bad request.
  { name: 'OPTIONS *', request: line('OPTIONS * HTTP/1.1'), status: 204 },
  { name: 'GET *', request: line('GET * HTTP/1.1'), status: 400 },
  { name: 'POST *', request: `POST * HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\n{}`, status: 400 },
  { name: 'DELETE *', request: line('DELETE * HTTP/1.1'), status: 400 },
  { name: 'HEAD *', request: line('HEAD * HTTP/1.1'), status: 400 },
  // Absolute form: served as its path (proxies send it; servers must accept it).
  { name: 'absolute /healthz', request: line('GET http://localhost/healthz HTTP/1.1'), status: 200 },
  { name: 'absolute https with port', request: line('GET https://localhost:8000/healthz?x=1 HTTP/1.1'), status: 200 },
  { name: 'absolute, auth required', request: line('GET http://localhost/api/v1/auth/me HTTP/1.1'), status: 401 },
  { name: 'absolute tRPC', request: line('GET http://localhost/trpc/auth.me HTTP/1.1'), status: 401 },
  { name: 'absolute, unclosed IPv6 host', request: line('GET http://[::1 HTTP/1.1'), status: 400 },
  { name: 'absolute, percent in host', request: line('GET http://%zz/api/v1/users HTTP/1.1'), status: 400 },
  { name: 'absolute, port out of range', request: line('GET http://localhost:99999/healthz HTTP/1.1'), status: 400 },
  { name: 'absolute, no host', request: line('GET http:///healthz HTTP/1.1') },
  { name: 'absolute, other scheme', request: line('GET ftp://localhost/healthz HTTP/1.1'), status: 400 },
  { name: 'absolute, userinfo', request: line('GET http://user:pw@localhost/api/v1/auth/me HTTP/1.1'), status: 401 },
  // Authority form belongs to CONNECT, which this server does not do.
  { name: 'CONNECT', request: line('CONNECT localhost:443 HTTP/1.1'), status: 405 },
  { name: 'GET authority form', request: line('GET localhost:443 HTTP/1.1'), status: 400 },
  // Origin forms with broken or unusual encoding.
  { name: 'bad percent in path', request: line('GET /api/v1/%zz HTTP/1.1'), status: 404 },
  { name: 'truncated percent in id', request: line('GET /api/v1/appointments/%E0%A4%A HTTP/1.1') },
  { name: 'bad percent in query', request: line('GET /api/v1/availability/slots?staff_id=%zz&date=2030-01-01 HTTP/1.1') },
  { name: 'bad percent in query key', request: line('GET /readyz?%zz=1 HTTP/1.1'), status: 200 },
  { name: 'bad percent in tRPC input', request: line('GET /trpc/auth.me?input=%zz HTTP/1.1') },
  { name: 'bad percent in tRPC path', request: line('GET /trpc/%zz HTTP/1.1') },
  { name: 'bad percent in .ics route', request: line('GET /api/v1/appointments/%zz/export.ics HTTP/1.1') },
  { name: 'bad percent in feed token', request: line('GET /api/v1/calendar/feed.ics?token=%zz HTTP/1.1') },
  { name: 'encoded NUL', request: line('GET /api/v1/appointments/%00 HTTP/1.1') },
  { name: 'double slash', request: line('GET //api/v1/users HTTP/1.1') },
  { name: 'dot segments', request: line('GET /docs/../../package.json HTTP/1.1') },
  { name: 'encoded dot segments', request: line('GET /docs/%2e%2e/%2e%2e/package.json HTTP/1.1') },
  { name: 'query only', request: line('GET /?a=b HTTP/1.1'), status: 302 },
  { name: 'POST to docs', request: `POST /docs HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n` },
  // Methods.
  { name: 'unknown method', request: line('BREW /healthz HTTP/1.1'), status: 400 },
  { name: 'lower-case method', request: line('get /healthz HTTP/1.1'), status: 400 },
  { name: 'TRACE', request: line('TRACE /healthz HTTP/1.1') },
  { name: 'OPTIONS on a path, no origin', request: line('OPTIONS /api/v1/appointments HTTP/1.1') },
  // Versions and request lines.
  { name: 'HTTP/1.0 without Host', request: 'GET /healthz HTTP/1.0\r\n\r\n', status: 200 },
  { name: 'HTTP/1.1 without Host', request: 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', status: 400 },
  { name: 'two Host headers', request: line('GET /healthz HTTP/1.1', `Host: a\r\nHost: b\r\nConnection: close\r\n`), status: 400 },
  { name: 'HTTP/2.0 on HTTP/1 framing', request: line('GET /healthz HTTP/2.0') },
  { name: 'HTTP/9.9', request: line('GET /healthz HTTP/9.9') },
  { name: 'no version', request: 'GET /healthz\r\n\r\n' },
  { name: 'garbage line', request: '\u0000\u0001\u0002 nonsense\r\n\r\n', status: 400 },
  // Header oddities.
  { name: 'header without colon', request: line('GET /healthz HTTP/1.1', `${H}NoColonHere\r\n`), status: 400 },
  { name: 'obs-fold', request: line('GET /healthz HTTP/1.1', `${H}X-A: one\r\n two\r\n`), status: 400 },
  { name: 'NUL in header', request: line('GET /healthz HTTP/1.1', `${H}X-A: a\u0000b\r\n`), status: 400 },
  { name: 'huge header', request: line('GET /healthz HTTP/1.1', `${H}X-A: ${'a'.repeat(20_000)}\r\n`), status: 431 },
  { name: 'bad authorization', request: line('GET /api/v1/auth/me HTTP/1.1', `${H}Authorization: Bearer \u00ff\u00fe\r\n`), status: 401 },
  { name: 'empty content-type', request: `POST /api/v1/auth/login HTTP/1.1\r\n${H}Content-Type:\r\nContent-Length: 2\r\n\r\n{}` },
  // Framing.
  { name: 'negative content-length', request: `POST /api/v1/auth/login HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`, status: 400 },
  { name: 'two content-lengths', request: `POST /api/v1/auth/login HTTP/1.1\r\n${H}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, status: 400 },
  {
    name: 'chunked and content-length',
    request: `POST /api/v1/auth/login HTTP/1.1\r\n${H}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    status: 400,
  },
  { name: 'bad chunk size', request: `POST /api/v1/auth/login HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, status: 400 },
  { name: 'chunked JSON', request: `POST /api/v1/auth/login HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, status: 422 },
  { name: 'body on GET', request: `GET /api/v1/auth/me HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`, status: 401 },
  { name: 'pipelined', request: `GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET * HTTP/1.1\r\n${H}\r\n`, status: 200 },
];

/** Sends `request` bytes, half-closes only if asked, and returns what came back until the server closed. */
function exchange(port: number, request: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is fine: what counts is what was answered
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(Buffer.from(request, 'latin1'));
  });
}

interface Answer {
  readonly status: number;
  readonly type: string | undefined;
  /** Undefined for answers to HEAD, which carry none. */
  readonly body: string | undefined;
}

/** A chunked body, decoded. */
function unchunk(raw: string): { body: string; used: number } {
  let body = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = parseInt(raw.slice(at, eol), 16);
    if (eol < 0 || Number.isNaN(size)) return { body, used: raw.length };
    at = eol + 2;
    if (size === 0) return { body, used: raw.indexOf('\r\n\r\n', at - 2) + 4 };
    body += raw.slice(at, at + size);
    at += size + 2;
  }
}

/** The answers in a raw response stream, pipelined ones included; `head`: bodies are not sent. */
function answers(raw: string, head = false): Answer[] {
  const found: Answer[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const lines = rest.slice(0, end).split('\r\n');
    const headers = new Map(lines.slice(1).map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]));
    const status = Number(lines[0]!.split(' ')[1]);
    rest = rest.slice(end + 4);
    if (head) {
      found.push({ status, type: headers.get('content-type'), body: undefined });
      continue;
    }
    const { body, used } = headers.get('transfer-encoding') === 'chunked' ? unchunk(rest) : { body: rest.slice(0, Number(headers.get('content-length') ?? 0)), used: Number(headers.get('content-length') ?? 0) };
    found.push({ status, type: headers.get('content-type'), body });
    rest = rest.slice(used);
  }
  return found;
}

/** What is wrong with one answer, or undefined: never a 5xx; every error a JSON {code, message}. */
function problem(answer: Answer, expected: number | undefined): string | undefined {
  if (expected !== undefined && answer.status !== expected) return `status ${answer.status}, expected ${expected}: ${answer.body?.slice(0, 160)}`;
  if (answer.status >= 200 && answer.status < 400) return undefined;
  // Answers to HEAD carry no body: their type is all there is to check.
  if (answer.body === undefined) return answer.type?.startsWith('application/json') ? undefined : `HEAD answer of type ${answer.type}`;
  return errorAnswerProblem({ status: answer.status, type: answer.type ?? null, text: answer.body });
}

describe('raw HTTP: every request-target form and framing case', () => {
  let api: ApiProcess;
  let port: number;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'raw-http-'));
    api = spawnApi({ DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'info' }, dataDir);
    port = Number(new URL(await api.url).port);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s: a 4xx JSON error or a correct answer', async (_name, { request, status }) => {
    const [first, ...more] = answers(await exchange(port, request), request.startsWith('HEAD '));
    expect(first, 'no HTTP answer').toBeDefined();
    expect(problem(first!, status)).toBeUndefined();
    for (const answer of more) expect(problem(answer, undefined)).toBeUndefined();
  });

  it('still serves /readyz afterwards, with no request error logged and the process alive', async () => {
    const [ready] = answers(await exchange(port, line('GET /readyz HTTP/1.1')));
    expect(ready?.status).toBe(200);
    expect(api.child.exitCode).toBeNull();
    // An error-level line means a request reached a path it should not have (a bug, not an answer).
    expect(api.lines.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  });
});
