import { z } from 'zod';
import { idParam } from '../common.schema.ts';
import { userOutput } from './user.schema.ts';

export const unblockUserInput = z.object({ id: idParam });
export const unblockUserOutput = userOutput;
