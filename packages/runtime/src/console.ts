/**
 * How the apps and `pnpm start` write to a console: JSON lines for collectors and tests, or one
 * readable line per log entry for a developer at a terminal. Decided here, once, for all of them.
 */

/** `json`: pino's lines as they are; `text`: readable; `colour`: readable with ANSI colours. */
export type ConsoleStyle = 'json' | 'text' | 'colour';

/** The part of a stream the decision looks at (process.stdout is one). */
export interface ConsoleStream {
  readonly isTTY?: boolean;
  hasColors?(): boolean;
}

/** Readable only for a person: a terminal, outside production. Pipes, files and production get JSON. */
export function consoleStyle(stream: ConsoleStream, nodeEnv: string | undefined): ConsoleStyle {
  if (!stream.isTTY || nodeEnv === 'production') return 'json';
  // hasColors() honours NO_COLOR, FORCE_COLOR and TERM=dumb.
  return stream.hasColors?.() ? 'colour' : 'text';
}

const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, grey: 90 } as const;

/** `text` wrapped in the given ANSI attributes, reset after. */
export function paint(text: string, ...attributes: (keyof typeof SGR)[]): string {
  return `\x1b[${attributes.map((name) => SGR[name]).join(';')}m${text}\x1b[0m`;
}

const LEVELS: Record<number, { readonly label: string; readonly colour: keyof typeof SGR }> = {
  10: { label: 'TRACE', colour: 'grey' },
  20: { label: 'DEBUG', colour: 'blue' },
  30: { label: 'INFO', colour: 'green' },
  40: { label: 'WARN', colour: 'yellow' },
  50: { label: 'ERROR', colour: 'red' },
  60: { label: 'FATAL', colour: 'magenta' },
};

/** pino's serialized error: what the `err` serializer writes. */
interface LoggedError {
  readonly type?: string;
  readonly message?: string;
  readonly stack: string;
}

const isLoggedError = (value: unknown): value is LoggedError & Record<string, unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { stack?: unknown }).stack === 'string';

/** A bare word stays bare; anything a reader could misparse (spaces, quotes, `=`, empty) is quoted. */
function show(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"'=]+$/.test(value) ? value : JSON.stringify(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

const indent = (text: string) => text.replace(/^/gm, '    ');

/**
 * One pino entry as `HH:MM:SS LEVEL service message key=value…` (local time). An error adds its
 * other fields as `key.field=value` and its stack, indented, on the lines below.
 */
export function formatEntry(entry: Record<string, unknown>, colour: boolean): string {
  const { level, time, service, msg, ...rest } = entry;
  const known = typeof level === 'number' ? LEVELS[level] : undefined;
  const label = known?.label ?? String(level);
  const padding = ' '.repeat(Math.max(0, 5 - label.length));
  const clock = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '--:--:--';
  const fields: string[] = [];
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(rest)) {
    if (!isLoggedError(value)) {
      fields.push(`${key}=${show(value)}`);
      continue;
    }
    const { type: _type, message: _message, stack, ...extra } = value;
    for (const [field, detail] of Object.entries(extra)) fields.push(`${key}.${field}=${show(detail)}`);
    stacks.push(indent(stack));
  }
  const head = [colour ? paint(clock, 'dim') : clock, (colour && known ? paint(label, known.colour) : label) + padding, service, msg]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  return [[head, ...fields].join(' '), ...stacks].join('\n');
}

/**
 * A pino destination that writes each entry to `out` as `formatEntry` renders it. A line that is
 * not JSON is passed on unchanged rather than lost.
 */
export function readableDestination(out: { write(text: string): unknown }, colour: boolean): { write(line: string): void } {
  return {
    write(line) {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        out.write(line);
        return;
      }
      out.write(typeof entry === 'object' && entry !== null ? `${formatEntry(entry as Record<string, unknown>, colour)}\n` : line);
    },
  };
}
