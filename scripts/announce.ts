import { paint, type ConsoleStyle } from '@appointments/runtime/console';

/** What the launcher knows once both apps are ready (from their ready messages). */
interface Ready {
  readonly api: { readonly url: string; readonly admin?: string };
  readonly worker: { readonly mail: string; readonly health: string };
}

/**
 * The launcher's `ready:` answer, with the trailing newline: where the API, its docs, the worker's
 * health and the emails are. A JSON line (every field on its own) for pipes and production; on a
 * terminal a block between blank lines, bold green when the terminal has colours.
 */
export function announcement({ api, worker }: Ready, style: ConsoleStyle, now: number): string {
  const { url, admin } = api;
  const emails = worker.mail.startsWith('smtp') ? `via ${worker.mail}` : `written to ${worker.mail}`;
  if (style === 'json') {
    const text = [`API ${url}`, `docs ${url}/docs and ${url}/redoc`, `emails ${emails}`];
    if (admin) text.push(`admin ${admin}`);
    const entry = { level: 30, time: now, service: 'launcher', msg: `ready: ${text.join('; ')}`, api: url, docs: `${url}/docs`, redoc: `${url}/redoc`, mail: worker.mail, health: worker.health, admin };
    return `${JSON.stringify(entry)}\n`;
  }
  const rows: [string, string][] = [
    ['API', url],
    ['docs', `${url}/docs (and ${url}/redoc)`],
    ['worker', worker.health],
    ['emails', emails],
  ];
  if (admin) rows.push(['admin', admin]);
  const lines = rows.map(([label, value], i) => `${i === 0 ? 'ready:' : '      '} ${label.padEnd(8)}${value}`);
  return `\n${lines.map((line) => (style === 'colour' ? paint(line, 'bold', 'green') : line)).join('\n')}\n\n`;
}
