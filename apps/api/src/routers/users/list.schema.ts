import { z } from 'zod';
import { pageInputShape, pageOutput, PAGE_DEFAULTS } from '../common.schema.ts';
import { userOutput } from './user.schema.ts';

export const listUsersInput = z.object(pageInputShape).default(PAGE_DEFAULTS);
export const listUsersOutput = pageOutput(userOutput, 'UserPage');
