/**
 * The one line to print when listening on `port` failed because something holds it, naming the
 * variable that sets it; undefined for any other error (those keep their full report).
 */
export function portInUseMessage(error: unknown, variable: string, port: number): string | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return undefined;
  return `Port ${port} is already in use: set ${variable} to a free port (in .env or the environment).`;
}
