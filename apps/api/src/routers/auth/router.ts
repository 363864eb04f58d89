import { z } from 'zod';
import { optionalAuthProcedure, publicProcedure, router, sessionProcedure } from '../../trpc.ts';
import { userOutput } from '../users/user.schema.ts';
import { loginHandler } from './login.handler.ts';
import { loginInput, loginOutput } from './login.schema.ts';
import { logoutHandler } from './logout.handler.ts';
import { meHandler } from './me.handler.ts';
import { registerHandler } from './register.handler.ts';
import { registerInput, registerOutput } from './register.schema.ts';
import { accountTokenInput, accountTokenOutput, passwordResetConfirmInput, passwordResetInput } from './account-links.schema.ts';
import { confirmPasswordResetHandler, passwordResetStatusHandler, requestPasswordResetHandler } from './password-reset.handler.ts';
import { confirmEmailVerificationHandler, emailVerificationStatusHandler, requestEmailVerificationHandler } from './verify-email.handler.ts';

const tags = ['auth'];
const GONE = 'The link was used or has expired';
const NEVER_ISSUED = 'No such link was ever issued';

/** For front ends: whether an emailed link still works, and until when. */
const linkStatus = (path: `/${string}`, summary: string, handler: typeof passwordResetStatusHandler) =>
  publicProcedure
    .meta({ openapi: { method: 'GET', path, tags, protect: false, summary, errorResponses: { 404: NEVER_ISSUED, 410: GONE } } })
    .input(accountTokenInput)
    .output(accountTokenOutput)
    .query(handler);

/** Password reset by an emailed single-use link (60 minutes). */
const passwordResetRouter = router({
  request: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/auth/password-reset',
        tags,
        protect: false,
        summary: 'Email a password reset link',
        description: 'Answers 202 whether or not the address has an account; the link works once, for 60 minutes.',
        errorResponses: { 429: 'Too many requests for this address, or from this client' },
      },
      successStatus: 202,
    })
    .input(passwordResetInput)
    .output(z.void())
    .mutation(requestPasswordResetHandler),
  status: linkStatus('/api/v1/auth/password-reset/{token}', 'Whether a password reset link still works', passwordResetStatusHandler),
  confirm: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/auth/password-reset/confirm',
        tags,
        protect: false,
        summary: 'Set a new password with a reset link',
        description: 'Also marks the address verified and signs the account out everywhere.',
        errorResponses: { 404: NEVER_ISSUED, 410: GONE },
      },
      successStatus: 204,
    })
    .input(passwordResetConfirmInput)
    .output(z.void())
    .mutation(confirmPasswordResetHandler),
});

/** Proving an address by an emailed single-use link (24 hours). */
const verifyEmailRouter = router({
  request: sessionProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/auth/verify-email',
        tags,
        protect: true,
        summary: 'Email me a verification link',
        description: 'Nothing is sent when the address is verified already.',
        errorResponses: { 429: 'Too many verification emails' },
      },
      successStatus: 202,
    })
    .input(z.void())
    .output(z.void())
    .mutation(requestEmailVerificationHandler),
  status: linkStatus('/api/v1/auth/verify-email/{token}', 'Whether an email verification link still works', emailVerificationStatusHandler),
  confirm: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/auth/verify-email/confirm',
        tags,
        protect: false,
        summary: 'Confirm an email address with a verification link',
        errorResponses: { 404: NEVER_ISSUED, 410: GONE },
      },
      successStatus: 204,
    })
    .input(accountTokenInput)
    .output(z.void())
    .mutation(confirmEmailVerificationHandler),
});

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

  passwordReset: passwordResetRouter,
  verifyEmail: verifyEmailRouter,
});
