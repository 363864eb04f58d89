import { z } from 'zod';

/**
 * Where the API answers, as both apps read it: the API listens there, and links in answers and
 * emails start with PUBLIC_URL, which defaults to it.
 */
export const publicUrlEnvShape = {
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** The API's address as people and calendar apps reach it (behind a proxy: the proxy's). */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_URL takes an http(s) URL, e.g. https://api.clinic.example' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
};

/** `http://HOST:PORT`, as a browser on this machine would reach a server listening there. */
export function httpOrigin(host: string, port: number): string {
  const name = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

export function publicUrlOf(env: { HOST: string; PORT: number; PUBLIC_URL?: string | undefined }): string {
  return env.PUBLIC_URL ?? httpOrigin(env.HOST, env.PORT);
}
