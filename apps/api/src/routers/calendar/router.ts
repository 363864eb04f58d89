import { z } from 'zod';
import { router, sessionProcedure } from '../../trpc.ts';
import { createFeedHandler, listFeedsHandler, revokeFeedHandler } from './feeds.handler.ts';
import { calendarFeedOutput, createdFeedOutput, createFeedInput, revokeFeedInput } from './feeds.schema.ts';

const tags = ['calendar'];

export const calendarRouter = router({
  feeds: router({
    create: sessionProcedure
      .meta({ openapi: { method: 'POST', path: '/api/v1/calendar/feeds', tags, summary: 'Create a personal calendar subscription URL', protect: true }, successStatus: 201 })
      .input(createFeedInput)
      .output(createdFeedOutput)
      .mutation(createFeedHandler),
    list: sessionProcedure
      .meta({ openapi: { method: 'GET', path: '/api/v1/calendar/feeds', tags, summary: 'Your calendar feeds (tokens are never shown again)', protect: true } })
      .input(z.void())
      .output(z.array(calendarFeedOutput))
      .query(listFeedsHandler),
    revoke: sessionProcedure
      .meta({ openapi: { method: 'DELETE', path: '/api/v1/calendar/feeds/{id}', tags, summary: 'Revoke a feed', protect: true, errorResponses: { 404: 'No such feed of yours' } }, successStatus: 204 })
      .input(revokeFeedInput)
      .output(z.void())
      .mutation(revokeFeedHandler),
  }),
});
