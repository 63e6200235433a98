import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../engine/access/audit.js';
import { badCursor, decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiContext } from '../server.js';
import { cursorParam, limitParam, op, pageOf } from '../schemas.js';

export function registerSystemRoutes(api: FastifyInstance, { engine }: ApiContext): void {
  api.get('/health', {
    schema: op('public', 'system', 'Is the server up (and its database open)?', {
      response: { 200: { type: 'object', required: ['status'], properties: { status: { const: 'ok' }, now: { type: 'string' } } } },
    }),
    handler: async () => {
      await engine.store.all('SELECT 1');
      return { status: 'ok' as const, now: engine.clock().toISOString() };
    },
  });

  api.get('/me', {
    schema: op('viewer', 'system', 'The key this request is made with: its role (what it may do), name and prefix', {
      response: {
        200: {
          type: 'object',
          required: ['id', 'name', 'role', 'prefix'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, role: { enum: ['viewer', 'editor', 'admin'] }, prefix: { type: 'string' } },
        },
      },
    }),
    handler: async (request) => {
      const key = request.apiKey!;
      return { id: key.id, name: key.name, role: key.role, prefix: key.prefix };
    },
  });

  api.get('/openapi.json', {
    schema: op('public', 'system', 'This API as an OpenAPI 3.1 document', { hide: true }),
    handler: async () => api.swagger(),
  });

  api.get('/audit', {
    schema: op('admin', 'system', 'Segment changes, newest first: who, what, when, versions before and after', {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { segment: { type: 'string', minLength: 1 }, limit: limitParam, cursor: cursorParam },
      },
      response: {
        200: pageOf({
          type: 'object',
          required: ['at', 'actor', 'action', 'segmentId'],
          properties: {
            at: { type: 'string' },
            actor: { type: 'string' },
            action: { type: 'string' },
            segmentId: { type: 'string' },
            versionBefore: { type: ['integer', 'null'] },
            versionAfter: { type: ['integer', 'null'] },
          },
        }),
      },
    }),
    handler: async (request) => {
      const q = request.query as { segment?: string; limit: number; cursor?: string };
      const cursor = decodeCursor(q.cursor);
      const before = cursor === undefined ? undefined : Number(cursor);
      if (before !== undefined && !Number.isSafeInteger(before)) throw badCursor();
      const rows = await listAudit(engine.store.reader(), { ...(q.segment ? { segmentId: q.segment } : {}), ...(before !== undefined ? { beforeSeq: before } : {}), limit: q.limit + 1 });
      const items = rows.slice(0, q.limit);
      return {
        items: items.map(({ seq: _seq, at, ...rest }) => ({ ...rest, at: at.toISOString() })),
        ...(rows.length > q.limit ? { next: encodeCursor(String(items[items.length - 1]!.seq)) } : {}),
      };
    },
  });
}
