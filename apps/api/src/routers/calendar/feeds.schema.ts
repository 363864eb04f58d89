import { z } from 'zod';
import { writtenText } from '@appointments/domain';
import { idParam, instantOutput } from '../common.schema.ts';

export const FEED_PATH = '/api/v1/calendar/feed.ics';

export const calendarFeedOutput = z
  .object({ id: z.number().int().positive(), name: z.string().nullable(), created_at: instantOutput, last_used_at: instantOutput.nullable() })
  .meta({ id: 'CalendarFeed' });

export const createFeedInput = z
  .object({ name: writtenText(z.string().trim().min(1).max(100), 'The name', 'one').optional().meta({ description: 'A label, e.g. "Phone"' }) })
  .meta({ examples: [{ name: 'Phone' }] });
export const createdFeedOutput = calendarFeedOutput
  .extend({
    token: z.string().meta({ description: 'Shown once; only its hash is stored' }),
    feed_path: z.string().meta({ description: `Subscribe calendar apps to this path on the API host: ${FEED_PATH}?token=…` }),
  })
  .meta({ id: 'CreatedCalendarFeed' });
export const revokeFeedInput = z.object({ id: idParam });
