import { DomainError, formatInstant } from '@appointments/domain';
import type { Repositories, Webhook } from '@appointments/db';
import { checkWebhookUrl, generateWebhookSecret } from '@appointments/runtime';
import type { Services } from '../../context.ts';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toDeliveryOutput } from './delivery.schema.ts';
import { toWebhookOutput, type createWebhookInput, type listWebhooksInput, type updateWebhookInput, type webhookIdInput } from './webhook.schema.ts';

/** How long the secret before a rotation keeps signing beside the new one: a day for receivers to switch. */
const SECRET_OVERLAP_MS = 24 * 3_600_000;

/** The URL as the guard read it (canonical), or WEBHOOK.URL_NOT_ALLOWED saying why not. */
async function allowedUrl(settings: Services['settings'], url: string): Promise<string> {
  const check = await checkWebhookUrl(url, { allowPrivate: settings.webhookAllowPrivate });
  if (!check.ok) throw new DomainError('WEBHOOK.URL_NOT_ALLOWED', check.reason);
  return check.url.href;
}

const notFound = (id: number) => new DomainError('WEBHOOK.NOT_FOUND', `Webhook ${id} not found`);

/** The webhook, or WEBHOOK.NOT_FOUND. */
export async function existingWebhook(repos: Repositories, id: number): Promise<Webhook> {
  const webhook = await repos.webhooks.findById(id);
  if (!webhook) throw notFound(id);
  return webhook;
}

export async function createWebhookHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof createWebhookInput>) {
  const url = await allowedUrl(ctx.services.settings, input.url);
  const secret = generateWebhookSecret();
  const webhook = await ctx.repos.webhooks.create({ url, events: input.events, description: input.description, secret }, ctx.now);
  return { ...toWebhookOutput(webhook), secret };
}

const cursors = listCursor<readonly [id: number]>('webhooks', 1);

export async function listWebhooksHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof listWebhooksInput>) {
  const after = cursors.after(input.cursor, [], { name: 'offset', value: input.offset });
  const page = await ctx.repos.webhooks.list({ limit: input.limit, offset: input.offset, after });
  return { items: page.items.map(toWebhookOutput), next_cursor: cursors.next(page, [], (last) => [last.id]) };
}

export async function getWebhookHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof webhookIdInput>) {
  return toWebhookOutput(await existingWebhook(ctx.repos, input.id));
}

/**
 * Deactivating leaves its waiting deliveries pending: the worker fails each, saying why, when it
 * reaches it, so none goes out after the admin said stop and none vanishes without a trace.
 */
export async function updateWebhookHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateWebhookInput>) {
  const url = input.url === undefined ? undefined : await allowedUrl(ctx.services.settings, input.url);
  const webhook = await ctx.repos.webhooks.update(input.id, { url, events: input.events, description: input.description, isActive: input.is_active }, ctx.now);
  return toWebhookOutput(webhook);
}

/** Its delivery log goes with it. */
export async function deleteWebhookHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof webhookIdInput>) {
  if (!(await ctx.repos.webhooks.delete(input.id))) throw notFound(input.id);
}

export async function rotateSecretHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof webhookIdInput>) {
  const secret = generateWebhookSecret();
  const overlapUntil = new Date(ctx.now.getTime() + SECRET_OVERLAP_MS);
  const webhook = await ctx.repos.webhooks.rotateSecret(input.id, secret, overlapUntil, ctx.now);
  return { ...toWebhookOutput(webhook), secret, previous_secret_expires_at: formatInstant(overlapUntil.getTime()) };
}

/** A `ping` to the endpoint, due at once, whether or not it is active (an inactive one's fails, saying why). */
export async function testWebhookHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof webhookIdInput>) {
  await existingWebhook(ctx.repos, input.id);
  return toDeliveryOutput(await ctx.repos.webhookDeliveries.ping(input.id, ctx.now));
}
