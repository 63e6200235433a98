import type { FastifyInstance } from 'fastify';
import { createKey, listKeys, revokeKey, ROLES, type ApiKey, type Role } from '../../engine/access/keys.js';
import { ONE_LINE_PATTERN } from '../../definition/json-schema.js';
import type { ApiContext } from '../server.js';
import { idParams, op, pageOf } from '../schemas.js';

const keySchema = {
  type: 'object',
  required: ['id', 'prefix', 'role', 'name', 'createdAt', 'revokedAt'],
  properties: {
    id: { type: 'string' },
    prefix: { type: 'string', description: 'the first characters of the key' },
    role: { enum: ROLES },
    name: { type: 'string' },
    createdAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
  },
} as const;

const keyJson = (k: ApiKey) => ({ id: k.id, prefix: k.prefix, role: k.role, name: k.name, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null });

export function registerKeyRoutes(api: FastifyInstance, { engine, keys }: ApiContext): void {
  api.get('/keys', {
    schema: op('admin', 'keys', 'API keys (never their secrets)', { response: { 200: pageOf(keySchema) } }),
    handler: async () => ({ items: (await listKeys(engine.store)).map(keyJson) }),
  });

  api.post('/keys', {
    schema: op('admin', 'keys', 'Create a key; its secret is in this answer only', {
      body: { type: 'object', required: ['role'], additionalProperties: false, properties: { role: { enum: ROLES }, name: { type: 'string', minLength: 1, maxLength: 100, pattern: ONE_LINE_PATTERN } } },
      response: { 201: { ...keySchema, required: [...keySchema.required, 'key'], properties: { ...keySchema.properties, key: { type: 'string', description: 'the secret: shown once' } } } },
    }),
    handler: async (request, reply) => {
      const b = request.body as { role: Role; name?: string };
      const created = await createKey(engine.store, b.role, b.name ?? `${b.role} key`, engine.clock());
      return reply.code(201).send({ ...keyJson(created), key: created.key });
    },
  });

  api.delete('/keys/:id', {
    schema: op('admin', 'keys', 'Revoke a key: it stops working at once', { params: idParams('id'), response: { 200: keySchema } }),
    handler: async (request) => {
      const revoked = await revokeKey(engine.store, (request.params as { id: string }).id, engine.clock());
      keys.clear();
      return keyJson(revoked);
    },
  });
}
