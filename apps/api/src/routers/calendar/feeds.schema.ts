import { z } from 'zod';
import { writtenText } from '@appointments/domain';
import { idOutput, idParam, instantOutput } from '../common.schema.ts';

export const FEED_PATH = '/api/v1/calendar/feed.ics';
const EXAMPLE_FEED_TOKEN = 'lavk7uj6ti5sh4rg3qf2pezodyncxmbw';

export const calendarFeedOutput = z
  .object({ id: idOutput(1), name: z.string().meta({ examples: ['Phone'] }).nullable(), created_at: instantOutput, last_used_at: instantOutput.nullable().meta({ examples: [null] }) })
  .meta({ id: 'CalendarFeed' });

export const createFeedInput = z
  .object({ name: writtenText(z.string().trim().min(1).max(100), 'The name', 'one').optional().meta({ description: 'A label, e.g. "Phone"' }) })
  .meta({ examples: [{ name: 'Phone' }] });
export const createdFeedOutput = calendarFeedOutput
  .extend({
    token: z.string().meta({ description: 'Shown once; only its hash is stored', examples: [EXAMPLE_FEED_TOKEN] }),
    feed_path: z.string().meta({ description: `Subscribe calendar apps to this path on the API host: ${FEED_PATH}?token=…`, examples: [`${FEED_PATH}?token=${EXAMPLE_FEED_TOKEN}`] }),
    feed_url: z.string().meta({
      description: 'The same, absolute: PUBLIC_URL (by default where the API listens) and feed_path',
      examples: [`https://api.clinic.example${FEED_PATH}?token=${EXAMPLE_FEED_TOKEN}`],
    }),
  })
  .meta({ id: 'CreatedCalendarFeed' });
export const revokeFeedInput = z.object({ id: idParam });
