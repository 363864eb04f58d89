import { z } from 'zod';
import { optionalAuthProcedure, publicProcedure, router, sessionProcedure } from '../../trpc.ts';
import { userOutput } from '../users/user.schema.ts';
import { loginHandler } from './login.handler.ts';
import { loginInput, loginOutput } from './login.schema.ts';
import { logoutHandler } from './logout.handler.ts';
import { meHandler } from './me.handler.ts';
import { registerHandler } from './register.handler.ts';
import { registerInput, registerOutput } from './register.schema.ts';

const tags = ['auth'];

export const authRouter = router({
  register: optionalAuthProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/auth/register',
        tags,
        protect: false,
        summary: 'Register a user',
        description: 'Creates a client; an admin token may create staff or admin accounts.',
        errorResponses: { 403: 'Role needs an admin token', 409: 'Email already registered', 429: 'Too many sign-ups from this address' },
      },
      successStatus: 201,
      authOptional: true,
      scope: 'users:write',
    })
    .input(registerInput)
    .output(registerOutput)
    .mutation(registerHandler),

  login: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/auth/login',
        protect: false,
        tags,
        summary: 'Log in and get a bearer token',
        contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
        errorResponses: { 401: 'Incorrect email or password', 403: 'Account deactivated', 429: 'Too many failed attempts' },
      },
    })
    .input(loginInput)
    .output(loginOutput)
    .mutation(loginHandler),

  me: sessionProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/auth/me', tags, summary: 'The current user', protect: true } })
    .input(z.void())
    .output(userOutput)
    .query(meHandler),

  logout: sessionProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/auth/logout', tags, summary: 'Revoke the current token', protect: true }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(logoutHandler),
});
