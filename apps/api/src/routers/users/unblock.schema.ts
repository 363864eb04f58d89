import { z } from 'zod';
import { idParam, userOutput } from './user.schema.ts';

export const unblockUserInput = z.object({ id: idParam });
export const unblockUserOutput = userOutput;
