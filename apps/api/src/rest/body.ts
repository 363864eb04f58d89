import type { IncomingMessage } from 'node:http';
import { inputProblem, MAX_INPUT_DEPTH } from '../input-shape.ts';
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyError(413, 'REQUEST.PAYLOAD_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, 'REQUEST.PAYLOAD_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a REST request body as JSON or as an HTML form (the seed's login is a form), so both
 * reach the procedure as the same plain object. An empty body is `undefined`.
 */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readRaw(req);
  if (raw.trim() === '') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  if (type === 'application/json' || type === '') {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new BodyError(400, 'REQUEST.PARSE_ERROR', 'Request body is not valid JSON');
    }
    // Every REST body is an object; an array or a bare value would be spread into nothing.
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BodyError(422, 'VALIDATION.FAILED', 'Request body must be a JSON object');
    }
    // Refused here, before the adapter re-serialises it (JSON.stringify would overflow the stack).
    if (inputProblem(body)?.kind === 'too_deep') throw new BodyError(422, 'VALIDATION.FAILED', `Request body nests deeper than ${MAX_INPUT_DEPTH} levels`);
    return body;
  }
  throw new BodyError(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', `Unsupported content type "${type}"; send application/json`);
}
