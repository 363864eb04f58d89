import { Statement } from './statement.ts';

const COLUMNS = 'id, name, prefix, scopes, created_by, created_at, expires_at, last_used_at, revoked_at';

export interface ApiKeyRow {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  /** Parsed on PostgreSQL (jsonb), text on SQLite. */
  readonly scopes: unknown;
  readonly created_by: number | null;
  readonly created_at: unknown;
  readonly expires_at: unknown;
  readonly last_used_at: unknown;
  readonly revoked_at: unknown;
}

/** Values: name, prefix, key hash, scopes (JSON text), created by, created at, expires at. */
export const INSERT_API_KEY = new Statement<ApiKeyRow>(
  `insert into api_keys (name, prefix, key_hash, scopes, created_by, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
);

/** Revoked keys stay for history, but are not listed. */
export const ACTIVE_API_KEYS = new Statement<ApiKeyRow>(`select ${COLUMNS} from api_keys where revoked_at is null order by id`);

// Every request with an API key runs it: no key is trusted from memory, so a revocation holds at once.
export const API_KEY_BY_HASH = new Statement<ApiKeyRow>(`select ${COLUMNS} from api_keys where key_hash = ?`);

export const REVOKE_API_KEY = new Statement('update api_keys set revoked_at = ? where id = ? and revoked_at is null');

/** Values: now, id, cutoff. Writes only a use older than the cutoff, so processes racing on one stale value write once. */
export const RECORD_API_KEY_USE = new Statement('update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)');
