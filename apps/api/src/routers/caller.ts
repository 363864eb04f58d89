import { createContextInner, type ContextInput } from '../context.ts';
import { createCallerFactory } from '../trpc.ts';
import { appRouter } from './app.ts';

const factory = createCallerFactory(appRouter);

/** Calls procedures without HTTP: what tests and in-process jobs use. */
export function createCaller(input: ContextInput) {
  return factory(createContextInner(input));
}
