import { isAbsolute, join, resolve } from 'node:path';

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgresql'; readonly url: string };

/**
 * Reads the seed's SQLAlchemy-style URLs: `sqlite:///relative.db` (relative to the working
 * directory), `sqlite:////absolute.db`, `postgres://…` / `postgresql+driver://…`.
 * Without a URL the embedded default is `<dataDir>/appointments.db`.
 */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseTarget {
  if (!url) return { dialect: 'sqlite', path: resolve(join(dataDir, 'appointments.db')) };
  const sqlite = /^sqlite:\/\/\/(.+)$/.exec(url);
  if (sqlite?.[1]) {
    const path = sqlite[1];
    return { dialect: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : resolve(path) };
  }
  const pg = /^postgres(?:ql)?(?:\+[a-z0-9]+)?:\/\/(.*)$/i.exec(url);
  if (pg) return { dialect: 'postgresql', url: `postgresql://${pg[1]}` };
  throw new Error(
    `DATABASE_URL must look like sqlite:///relative/path.db, sqlite:////absolute/path.db or postgres://user@host/db (got "${url.replace(/\/\/[^@/]*@/, '//***@')}")`,
  );
}
