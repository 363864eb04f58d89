import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** `Key=value` lines of one [Section] of a unit file. */
function section(unit: string, name: string): Map<string, string> {
  const body = unit.split(/^\[/m).find((part) => part.startsWith(`${name}]`)) ?? '';
  return new Map(body.split('\n').flatMap((line) => (/^[A-Za-z]+=/.test(line) ? [[line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const] : [])));
}

describe('deployment files', () => {
  const units = readdirSync(join(root, 'deploy/systemd')).filter((f) => f.endsWith('.service'));

  it.each(units)('%s restarts on failure, stops with SIGTERM and runs an entry point that exists', (file) => {
    const service = section(readFileSync(join(root, 'deploy/systemd', file), 'utf8'), 'Service');
    expect(service.get('Restart')).toBe('on-failure');
    expect(service.get('KillSignal')).toBe('SIGTERM');
    const [, script] = service.get('ExecStart')!.split(' ');
    expect(existsSync(join(root, script!)), script).toBe(true);
  });

  it('the Procfile names the API and the worker by their entry points', () => {
    const lines = readFileSync(join(root, 'Procfile'), 'utf8').trim().split('\n');
    const entries = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const));
    expect([...entries.keys()]).toEqual(['web', 'worker']);
    for (const command of entries.values()) expect(existsSync(join(root, command.split(' ')[1]!))).toBe(true);
  });

  it('there is a unit for each process', () => {
    expect(units.sort()).toEqual(['appointments-api.service', 'appointments-worker.service']);
  });
});
