export * from './errors.ts';
export * from './users/user.ts';
export * from './auth/session.ts';
export * from './auth/throttle.ts';
export * from './users/permissions.ts';
export * from './scheduling/types.ts';
