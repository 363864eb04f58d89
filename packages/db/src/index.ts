export { Database, type Repositories } from './database.ts';
export { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
export type { NewUser, Page, UserChanges, UserRepository } from './users/user.repository.ts';
export type { Session, SessionRepository } from './sessions/session.repository.ts';
export { envBoolean, storageEnvShape, withDatabaseTarget } from './config.ts';
export { exitOnConfigError, parseEnvWith, stopOnSignals } from './runtime.ts';
