import { z } from 'zod';
import { adminProcedure, router } from '../../trpc.ts';
import { listDeliveriesHandler, retryDeliveryHandler } from './deliveries.handler.ts';
import { deliveryIdInput, listDeliveriesInput, listDeliveriesOutput, webhookDeliveryOutput } from './delivery.schema.ts';
import {
  createWebhookHandler,
  deleteWebhookHandler,
  getWebhookHandler,
  listWebhooksHandler,
  rotateSecretHandler,
  testWebhookHandler,
  updateWebhookHandler,
} from './webhooks.handler.ts';
import {
  createdWebhookOutput,
  createWebhookInput,
  listWebhooksInput,
  listWebhooksOutput,
  rotatedWebhookOutput,
  updateWebhookInput,
  webhookIdInput,
  webhookOutput,
} from './webhook.schema.ts';

const tags = ['webhooks'];
/** What an API key needs to call any of them. */
const keyScope = { scope: 'webhooks:manage' } as const;
const adminOnly = { 403: 'Admin role required' };
const unknown = { 404: 'No such webhook' };
const refusedUrl = { 422: 'Invalid input, or a URL the guard refuses (WEBHOOK.URL_NOT_ALLOWED, with the reason): not http(s), with credentials, or on a private, local or reserved address' };

/** Endpoints that receive signed event deliveries, and their delivery logs; admins only. */
export const webhooksRouter = router({
  create: adminProcedure
    .meta({
      ...keyScope,
      openapi: {
        method: 'POST',
        path: '/api/v1/webhooks',
        tags,
        summary: 'Add a webhook endpoint (admin)',
        description: 'The answer carries the signing `secret`, shown this once.',
        protect: true,
        errorResponses: { ...adminOnly, ...refusedUrl },
      },
      successStatus: 201,
    })
    .input(createWebhookInput)
    .output(createdWebhookOutput)
    .mutation(createWebhookHandler),

  list: adminProcedure
    .meta({ ...keyScope, openapi: { method: 'GET', path: '/api/v1/webhooks', tags, summary: 'The webhook endpoints, by id (admin)', protect: true, errorResponses: adminOnly }, cursorInHeaders: true })
    .input(listWebhooksInput)
    .output(listWebhooksOutput)
    .query(listWebhooksHandler),

  get: adminProcedure
    .meta({ ...keyScope, openapi: { method: 'GET', path: '/api/v1/webhooks/{id}', tags, summary: 'A webhook endpoint (admin)', protect: true, errorResponses: { ...adminOnly, ...unknown } } })
    .input(webhookIdInput)
    .output(webhookOutput)
    .query(getWebhookHandler),

  update: adminProcedure
    .meta({ ...keyScope, openapi: { method: 'PATCH', path: '/api/v1/webhooks/{id}', tags, summary: 'Change a webhook endpoint (admin)', protect: true, errorResponses: { ...adminOnly, ...unknown, ...refusedUrl } } })
    .input(updateWebhookInput)
    .output(webhookOutput)
    .mutation(updateWebhookHandler),

  delete: adminProcedure
    .meta({
      ...keyScope,
      openapi: { method: 'DELETE', path: '/api/v1/webhooks/{id}', tags, summary: 'Remove a webhook endpoint and its delivery log (admin)', protect: true, errorResponses: { ...adminOnly, ...unknown } },
      successStatus: 204,
    })
    .input(webhookIdInput)
    .output(z.void())
    .mutation(deleteWebhookHandler),

  rotateSecret: adminProcedure
    .meta({
      ...keyScope,
      openapi: {
        method: 'POST',
        path: '/api/v1/webhooks/{id}/rotate-secret',
        tags,
        summary: 'Replace the signing secret (admin)',
        description: 'The new `secret` is shown this once; the previous one keeps signing beside it for 24 hours.',
        protect: true,
        errorResponses: { ...adminOnly, ...unknown },
      },
    })
    .input(webhookIdInput)
    .output(rotatedWebhookOutput)
    .mutation(rotateSecretHandler),

  test: adminProcedure
    .meta({
      ...keyScope,
      openapi: {
        method: 'POST',
        path: '/api/v1/webhooks/{id}/test',
        tags,
        summary: 'Send a test message (`ping`) now (admin)',
        description: 'Answers the delivery it queued; its log shows how it went.',
        protect: true,
        errorResponses: { ...adminOnly, ...unknown },
      },
      successStatus: 202,
    })
    .input(webhookIdInput)
    .output(webhookDeliveryOutput)
    .mutation(testWebhookHandler),

  deliveries: adminProcedure
    .meta({
      ...keyScope,
      openapi: {
        method: 'GET',
        path: '/api/v1/webhooks/{id}/deliveries',
        tags,
        summary: "A webhook endpoint's delivery log, newest first (admin); `status=failed` lists what gave up",
        protect: true,
        errorResponses: { ...adminOnly, ...unknown },
      },
      cursorInHeaders: true,
    })
    .input(listDeliveriesInput)
    .output(listDeliveriesOutput)
    .query(listDeliveriesHandler),

  retryDelivery: adminProcedure
    .meta({
      ...keyScope,
      openapi: {
        method: 'POST',
        path: '/api/v1/webhooks/deliveries/{id}/retry',
        tags,
        summary: 'Send a failed delivery again now, with a fresh retry budget (admin)',
        protect: true,
        errorResponses: { ...adminOnly, 404: 'No such delivery', 409: 'Only failed deliveries can be retried' },
      },
      successStatus: 202,
    })
    .input(deliveryIdInput)
    .output(webhookDeliveryOutput)
    .mutation(retryDeliveryHandler),
});
