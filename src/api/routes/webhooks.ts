import type { FastifyInstance } from 'fastify';
import { isSegmataError, SegmataError } from '../../errors.js';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks } from '../../engine/webhooks/store.js';
import type { DeliveryJson, Webhook, WebhookJson } from '../../engine/webhooks/types.js';
import type { ApiContext } from '../server.js';
import { idParams, limitParam, op, pageOf } from '../schemas.js';

const webhookSchema = {
  type: 'object',
  required: ['id', 'segmentId', 'url', 'createdAt', 'deliveredSeq', 'attempts', 'nextAttemptAt', 'lastError'],
  properties: {
    id: { type: 'string' },
    segmentId: { type: 'string' },
    url: { type: 'string' },
    createdAt: { type: 'string' },
    deliveredSeq: { type: 'integer', description: 'the last change the receiver acknowledged' },
    attempts: { type: 'integer', description: 'failed attempts at the pending delivery' },
    nextAttemptAt: { type: ['string', 'null'] },
    lastError: { type: ['string', 'null'] },
  },
} as const;

const webhookJson = (w: Webhook): WebhookJson => ({ ...w, createdAt: w.createdAt.toISOString(), nextAttemptAt: w.nextAttemptAt ? w.nextAttemptAt.toISOString() : null });

/** The engine names the field `url`; in an answer it is the request body's. */
function inBody(e: unknown): unknown {
  if (!isSegmataError(e) || e.code !== 'invalid_argument') return e;
  return new SegmataError(e.code, e.message.replace(/^url:/, 'body.url:'), e.issues.map((i) => ({ ...i, path: `body.${i.path}` })));
}

export function registerWebhookRoutes(api: FastifyInstance, { engine, allowPrivateWebhooks }: ApiContext): void {
  api.get('/webhooks', {
    schema: op('admin', 'webhooks', 'Webhooks (never their secrets)', {
      querystring: { type: 'object', additionalProperties: false, properties: { segment: { type: 'string', minLength: 1 } } },
      response: { 200: pageOf(webhookSchema) },
    }),
    handler: async (request) => ({ items: (await listWebhooks(engine.store, (request.query as { segment?: string }).segment)).map(webhookJson) }),
  });

  api.post('/webhooks', {
    schema: op('admin', 'webhooks', "Subscribe a URL to a segment's membership changes: signed POSTs (HMAC-SHA256), retried with backoff until acknowledged; the secret is in this answer only. The URL must resolve to public addresses only (loopback, private and link-local ones are refused unless the server was started with --allow-private-webhooks)", {
      body: { type: 'object', required: ['segmentId', 'url'], additionalProperties: false, properties: { segmentId: { type: 'string', minLength: 1 }, url: { type: 'string', minLength: 1, maxLength: 2000 } } },
      response: { 201: { ...webhookSchema, required: [...webhookSchema.required, 'secret'], properties: { ...webhookSchema.properties, secret: { type: 'string', description: 'shown once' } } } },
    }),
    handler: async (request, reply) => {
      const b = request.body as { segmentId: string; url: string };
      await engine.segments.get(b.segmentId);
      const w = await createWebhook(engine.store, b.segmentId, b.url, engine.clock(), { allowPrivate: allowPrivateWebhooks }).catch((e: unknown) => {
        throw inBody(e);
      });
      return reply.code(201).send({ ...webhookJson(w), secret: w.secret });
    },
  });

  api.get('/webhooks/:id', {
    schema: op('admin', 'webhooks', 'One webhook and its delivery state', { params: idParams('id'), response: { 200: webhookSchema } }),
    handler: async (request) => webhookJson(await getWebhook(engine.store, (request.params as { id: string }).id)),
  });

  api.delete('/webhooks/:id', {
    schema: op('admin', 'webhooks', 'Delete a webhook (and its delivery log)', { params: idParams('id'), response: { 204: { type: 'null' } } }),
    handler: async (request, reply) => {
      await deleteWebhook(engine.store, (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  });

  api.get('/webhooks/:id/deliveries', {
    schema: op('admin', 'webhooks', 'The delivery log, newest first: each attempt with its answer', {
      params: idParams('id'),
      querystring: { type: 'object', additionalProperties: false, properties: { limit: limitParam } },
      response: {
        200: pageOf({
          type: 'object',
          required: ['attemptedAt', 'firstSeq', 'lastSeq', 'changes', 'attempt', 'statusCode', 'error', 'durationMs', 'delivered'],
          properties: {
            attemptedAt: { type: 'string' },
            firstSeq: { type: 'integer' },
            lastSeq: { type: 'integer' },
            changes: { type: 'integer' },
            attempt: { type: 'integer' },
            statusCode: { type: ['integer', 'null'] },
            error: { type: ['string', 'null'] },
            durationMs: { type: 'number' },
            delivered: { type: 'boolean' },
          },
        }),
      },
    }),
    handler: async (request) => {
      const { id } = request.params as { id: string };
      await getWebhook(engine.store, id);
      const rows = await listDeliveries(engine.store, id, (request.query as { limit: number }).limit);
      return { items: rows.map(({ seq: _s, webhookId: _w, attemptedAt, ...rest }): DeliveryJson => ({ ...rest, attemptedAt: attemptedAt.toISOString() })) };
    },
  });

}
