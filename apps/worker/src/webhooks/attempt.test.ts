import { describe, expect, it } from 'vitest';
import type { WebhookPostResult } from '@appointments/runtime';
import { attemptRecord } from './attempt.ts';

const policy = { baseDelaySeconds: 30, limit: 2 };
const NOW = Date.parse('2030-03-04T08:00:00.000Z');

describe('attemptRecord', () => {
  it.each<[string, WebhookPostResult, number, ReturnType<typeof attemptRecord>]>([
    ['a 2xx delivers', { kind: 'response', status: 202, body: 'queued' }, 0, { kind: 'delivered', statusCode: 202 }],
    ['410 is gone, its body the error', { kind: 'response', status: 410, body: 'unknown hook' }, 0, { kind: 'gone', error: 'unknown hook' }],
    ['a non-2xx is retried, its body the error', { kind: 'response', status: 500, body: 'boom' }, 1, { kind: 'retry', at: NOW + 60_000, statusCode: 500, error: 'boom' }],
    ['an empty body names the status', { kind: 'response', status: 302, body: '' }, 0, { kind: 'retry', at: NOW + 30_000, statusCode: 302, error: 'HTTP 302' }],
    ['no answer is retried with why', { kind: 'error', error: 'connection refused' }, 0, { kind: 'retry', at: NOW + 30_000, statusCode: null, error: 'connection refused' }],
    ['past the limit it fails', { kind: 'error', error: 'refused: 10.0.0.1 is a private, local or reserved address' }, 2, { kind: 'failed', statusCode: null, error: 'refused: 10.0.0.1 is a private, local or reserved address' }],
  ])('%s', (_case, result, retried, expected) => {
    expect(attemptRecord(result, retried, policy, NOW)).toEqual(expected);
  });
});
