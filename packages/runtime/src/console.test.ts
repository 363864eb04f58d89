import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { consoleStyle, formatEntry, readableDestination } from './console.ts';

/** 09:05:07 local time, whatever the machine's time zone. */
const time = new Date(2025, 0, 2, 9, 5, 7).getTime();

describe('consoleStyle', () => {
  const terminal = (colours: boolean) => ({ isTTY: true, hasColors: () => colours });

  it('is readable on a terminal outside production, with colours when the terminal has them', () => {
    expect(consoleStyle(terminal(true), 'development')).toBe('colour');
    expect(consoleStyle(terminal(true), undefined)).toBe('colour');
    expect(consoleStyle(terminal(false), 'test')).toBe('text');
    expect(consoleStyle({ isTTY: true }, 'development')).toBe('text');
  });

  it('is JSON for pipes and files, and in production even on a terminal', () => {
    expect(consoleStyle({}, 'development')).toBe('json');
    expect(consoleStyle({ isTTY: false, hasColors: () => true }, 'development')).toBe('json');
    expect(consoleStyle(terminal(true), 'production')).toBe('json');
  });
});

describe('formatEntry', () => {
  const listening = { level: 30, time, service: 'api', url: 'http://127.0.0.1:8000', database: 'sqlite', msg: 'API listening' };

  it('writes time, level, service, message, then the other fields as key=value', () => {
    expect(formatEntry(listening, false)).toBe('09:05:07 INFO  api API listening url=http://127.0.0.1:8000 database=sqlite');
    expect(formatEntry({ level: 40, time, service: 'worker', msg: 'slow', queue: 'embedded PGlite', n: 3, ok: false, none: null, empty: '', o: { a: [1] } }, false)).toBe(
      '09:05:07 WARN  worker slow queue="embedded PGlite" n=3 ok=false none=null empty="" o={"a":[1]}',
    );
  });

  it('colours the level by severity and dims the time', () => {
    expect(formatEntry(listening, true)).toBe('\x1b[2m09:05:07\x1b[0m \x1b[32mINFO\x1b[0m  api API listening url=http://127.0.0.1:8000 database=sqlite');
    expect(formatEntry({ level: 50, time, service: 'api', msg: 'x' }, true)).toBe('\x1b[2m09:05:07\x1b[0m \x1b[31mERROR\x1b[0m api x');
  });

  it('shows an error stack indented below the line, its other fields inline', () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at start (main.ts:1:1)', code: 'E_BOOM' };
    expect(formatEntry({ level: 60, time, service: 'worker', err, msg: 'boom' }, false)).toBe(
      ['09:05:07 FATAL worker boom err.code=E_BOOM', '    Error: boom', '        at start (main.ts:1:1)'].join('\n'),
    );
  });

  it('keeps an entry without a message or with an unknown level readable', () => {
    expect(formatEntry({ level: 35, time, service: 'api', moved: 2 }, true)).toBe('\x1b[2m09:05:07\x1b[0m 35    api moved=2');
  });
});

describe('readableDestination', () => {
  it('turns the lines pino writes into readable ones, passing anything else through', () => {
    const written: string[] = [];
    const destination = readableDestination({ write: (text: string) => written.push(text) }, false);
    const logger = pino({ level: 'info', base: { service: 'api' } }, destination);
    logger.child({ jobId: 'j1' }).info({ attempt: 2 }, 'sent');
    destination.write('not json\n');
    expect(written).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d INFO  api sent jobId=j1 attempt=2\n$/), 'not json\n']);
  });
});
