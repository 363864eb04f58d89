import { describe, expect, it } from 'vitest';
import { announcement } from './announce.ts';

const api = { url: 'http://127.0.0.1:8000', admin: 'admin@example.com' };
const worker = { mail: '/srv/data/outbox', health: 'http://127.0.0.1:8001/healthz' };

describe("the launcher's ready: answer", () => {
  it('is one JSON line for pipes and production, with each address as a field', () => {
    expect(JSON.parse(announcement({ api, worker }, 'json', 1_000))).toEqual({
      level: 30,
      time: 1_000,
      service: 'launcher',
      msg: 'ready: API http://127.0.0.1:8000; docs http://127.0.0.1:8000/docs and http://127.0.0.1:8000/redoc; emails written to /srv/data/outbox; admin admin@example.com',
      api: 'http://127.0.0.1:8000',
      docs: 'http://127.0.0.1:8000/docs',
      redoc: 'http://127.0.0.1:8000/redoc',
      mail: '/srv/data/outbox',
      health: 'http://127.0.0.1:8001/healthz',
      admin: 'admin@example.com',
    });
    expect(announcement({ api, worker }, 'json', 1_000)).toMatch(/^\{[^\n]*\}\n$/);
  });

  it('is a block between blank lines on a terminal: the API, its docs, the worker health, the emails', () => {
    expect(announcement({ api: { url: api.url }, worker: { ...worker, mail: 'smtp://mail.example.com:587' } }, 'text', 0)).toBe(
      [
        '',
        'ready: API     http://127.0.0.1:8000',
        '       docs    http://127.0.0.1:8000/docs (and http://127.0.0.1:8000/redoc)',
        '       worker  http://127.0.0.1:8001/healthz',
        '       emails  via smtp://mail.example.com:587',
        '',
        '',
      ].join('\n'),
    );
  });

  it('is bold green, line by line, on a terminal with colours', () => {
    const lines = announcement({ api, worker }, 'colour', 0).split('\n');
    expect(lines).toEqual([
      '',
      '\x1b[1;32mready: API     http://127.0.0.1:8000\x1b[0m',
      '\x1b[1;32m       docs    http://127.0.0.1:8000/docs (and http://127.0.0.1:8000/redoc)\x1b[0m',
      '\x1b[1;32m       worker  http://127.0.0.1:8001/healthz\x1b[0m',
      '\x1b[1;32m       emails  written to /srv/data/outbox\x1b[0m',
      '\x1b[1;32m       admin   admin@example.com\x1b[0m',
      '',
      '',
    ]);
  });
});
