import type { FastifyInstance } from 'fastify';
import { SegmataError } from '../../errors.js';
import { contactInteractions, getRecord, KIND_OF, searchRecords, type TimelineCursor } from '../../engine/records/read.js';
import { ENTITY_KINDS, type EntityKind } from '../../engine/records/upsert.js';
import { identifierProblem } from '../../engine/records/value-rules.js';
import { jsonRow } from '../../engine/records/values.js';
import type { ImportReport } from '../../engine/import/types.js';
import type { RecordKind } from '../../schema/types.js';
import { badCursor, decodeCursor, encodeCursor } from '../cursor.js';
import { httpProblem } from '../problem.js';
import type { ApiContext } from '../server.js';
import { cursorParam, idParams, limitParam, op, pageOf, unknownReferencesSchema, withTotal } from '../schemas.js';

/** The most records one batch upsert takes; larger loads go through `segmata import`. */
const MAX_BATCH = 10_000;
/** The most interactions one ingest takes. */
export const MAX_INTERACTIONS = 50_000;

const writeReport = {
  type: 'object',
  required: ['received', 'inserted', 'updated', 'skipped', 'unknownReferences'],
  properties: {
    received: { type: 'integer' },
    inserted: { type: 'integer' },
    updated: { type: 'integer' },
    skipped: { type: 'integer', description: 'records that changed nothing: re-sent interaction ids, or repeated ids merged into another record of the batch' },
    unknownReferences: unknownReferencesSchema,
  },
} as const;

const report = (r: ImportReport) => ({ received: r.rows, inserted: r.inserted, updated: r.updated, skipped: r.skipped, unknownReferences: r.unknownReferences });

/**
 * The engine names a bad record `records[i].field`; over HTTP it is the body's: `body[i].field`
 * for a batch, `body.field` for one record.
 */
async function asBody<T>(single: boolean, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof SegmataError) || !e.issues.some((i) => i.path.startsWith('records'))) throw e;
    const rename = (path: string): string => (single ? path.replace(/^records\[0\]\.?/, 'body.').replace(/\.$/, '') : path.replace(/^records/, 'body'));
    const message = single ? e.message.replace(/records\[0\]\.?/g, 'body.') : e.message.replace(/records\[/g, 'body[');
    throw new SegmataError(e.code, message, e.issues.map((i) => ({ path: rename(i.path), message: i.message })));
  }
}

/** A timeline cursor's content, as `contactInteractions` takes it. */
function timelineCursor(text: string | undefined): TimelineCursor | undefined {
  if (text === undefined) return undefined;
  try {
    const c = JSON.parse(text) as Partial<TimelineCursor>;
    if (typeof c.at === 'string' && typeof c.row === 'number') return { at: c.at, row: c.row };
  } catch {
    // refused below
  }
  throw badCursor();
}

export function registerRecordRoutes(api: FastifyInstance, { engine, settle }: ApiContext): void {
  const typesOf = (kind: RecordKind) => new Map(engine.registry.attributes(kind).map((a) => [a.name, a.type as string]));

  for (const kind of ENTITY_KINDS) {
    const entity = KIND_OF[kind];
    const tag = kind;

    api.get(`/${kind}`, {
      schema: op('viewer', tag, `Search ${kind} by id or any text attribute (paged, in id order)`, {
        querystring: { type: 'object', additionalProperties: false, properties: { search: { type: 'string', maxLength: 200 }, limit: limitParam, cursor: cursorParam } },
        response: { 200: withTotal(pageOf({ $ref: 'record#' }), 'how many match in all: on every page of an unsearched list, on the first page of a search') },
      }),
      handler: async (request) => {
        const q = request.query as { search?: string; limit: number; cursor?: string };
        const after = decodeCursor(q.cursor);
        const page = await searchRecords(engine.store.reader(), engine.registry, kind, { limit: q.limit, ...(q.search ? { search: q.search } : {}), ...(after !== undefined ? { after } : {}) });
        const types = typesOf(entity);
        return { items: page.items.map((r) => jsonRow(r, types)), ...(page.next ? { next: encodeCursor(page.next) } : {}), ...(page.total !== undefined ? { total: page.total } : {}) };
      },
    });

    api.get(`/${kind}/:id`, {
      schema: op('viewer', tag, `One ${entity}`, { params: idParams('id'), response: { 200: { $ref: 'record#' } } }),
      handler: async (request) => jsonRow(await getRecord(engine.store.reader(), kind, (request.params as { id: string }).id), typesOf(entity)),
    });

    api.put(`/${kind}/:id`, {
      schema: op('editor', tag, `Create or update one ${entity} (attributes not given keep their stored values)`, {
        params: idParams('id'),
        body: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: true },
        response: { 200: { $ref: 'record#' } },
      }),
      handler: async (request) => {
        const { id } = request.params as { id: string };
        const body = request.body as Record<string, unknown>;
        const notAnId = identifierProblem(id);
        if (notAnId) throw httpProblem(400, 'validation', `path.id: ${notAnId}`, [{ path: 'path.id', message: notAnId }]);
        if (body.id !== undefined && body.id !== id) throw httpProblem(400, 'validation', `body.id: "${String(body.id)}" differs from the id in the path ("${id}")`, [{ path: 'body.id', message: `expected "${id}"` }]);
        await asBody(true, () => engine.upsertRecords(kind, [{ ...body, id }]));
        await settle();
        return jsonRow(await getRecord(engine.store, kind, id), typesOf(entity));
      },
    });

    api.post(`/${kind}`, {
      schema: op('editor', tag, `Create or update a batch of ${kind} by id, all or nothing`, {
        body: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } }, additionalProperties: true } },
        response: { 200: writeReport },
      }),
      bodyLimit: 16 * 1024 * 1024,
      handler: async (request) => {
        const r = await asBody(false, () => engine.upsertRecords(kind, request.body as Record<string, unknown>[]));
        await settle();
        return report(r);
      },
    });

    api.post(`/${kind}/delete`, {
      schema: op('editor', tag, `Delete ${kind} by id in one transaction (unknown ids are ignored)`, {
        body: { type: 'object', required: ['ids'], additionalProperties: false, properties: { ids: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { type: 'string', minLength: 1 } } } },
        response: { 200: { type: 'object', required: ['deleted'], properties: { deleted: { type: 'integer' } } } },
      }),
      handler: async (request) => {
        const deleted = await engine.deleteRecords(kind, (request.body as { ids: string[] }).ids);
        await settle();
        return { deleted };
      },
    });

    api.delete(`/${kind}/:id`, {
      schema: op('editor', tag, `Delete one ${entity}`, { params: idParams('id'), response: { 204: { type: 'null' } } }),
      handler: async (request, reply) => {
        const { id } = request.params as { id: string };
        if ((await engine.deleteRecords(kind, [id])) === 0) throw httpProblem(404, 'not-found', `${entity} "${id}" does not exist`);
        await settle();
        return reply.code(204).send();
      },
    });
  }

  api.get('/contacts/:id/interactions', {
    schema: op('viewer', 'contacts', "A contact's interactions, newest first (paged)", {
      params: idParams('id'),
      querystring: { type: 'object', additionalProperties: false, properties: { limit: limitParam, cursor: cursorParam } },
      response: { 200: pageOf({ $ref: 'record#' }) },
    }),
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { limit: number; cursor?: string };
      const reader = engine.store.reader();
      await getRecord(reader, 'contacts', id);
      const before = timelineCursor(decodeCursor(q.cursor));
      const { rows, cursors } = await contactInteractions(reader, id, { limit: q.limit + 1, ...(before ? { before } : {}) });
      const types = typesOf('interaction');
      const items = rows.slice(0, q.limit).map((r) => jsonRow(r, types));
      return { items, ...(rows.length > q.limit ? { next: encodeCursor(JSON.stringify(cursors[q.limit - 1])) } : {}) };
    },
  });

  api.get('/contacts/:id/segments', {
    schema: op('viewer', 'contacts', 'The segments a contact is in now (live, stopped and static), and its latest entries and exits, newest first', {
      params: idParams('id'),
      querystring: { type: 'object', additionalProperties: false, properties: { changes: { type: 'integer', minimum: 0, maximum: 1000, default: 50 } } },
      response: {
        200: {
          type: 'object',
          required: ['items', 'changes'],
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['segmentId', 'name', 'type', 'status', 'enteredAt'],
                properties: { segmentId: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' }, enteredAt: { type: ['string', 'null'] } },
              },
            },
            changes: {
              type: 'array',
              items: {
                type: 'object',
                required: ['segmentId', 'name', 'change', 'at', 'cause'],
                properties: { segmentId: { type: 'string' }, name: { type: 'string' }, change: { enum: ['entered', 'exited'] }, at: { type: 'string' }, cause: { type: 'string' } },
              },
            },
          },
        },
      },
    }),
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { changes: number };
      await getRecord(engine.store.reader(), 'contacts', id);
      const { items, changes } = await engine.segmentsOfContact(id, q.changes);
      return {
        items: items.map((s) => ({ ...s, enteredAt: s.enteredAt?.toISOString() ?? null })),
        changes: changes.map((c) => ({ ...c, at: c.at.toISOString() })),
      };
    },
  });

  api.post('/interactions', {
    schema: op('editor', 'interactions', 'Ingest a batch of interactions; idempotent by id; answers once durably stored', {
      body: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_INTERACTIONS,
        items: {
          type: 'object',
          required: ['contact_id', 'type', 'occurred_at'],
          properties: {
            id: { type: 'string', minLength: 1, description: 'a re-sent id is skipped' },
            contact_id: { type: 'string', minLength: 1 },
            type: { type: 'string', minLength: 1 },
            occurred_at: { type: 'string', minLength: 1, description: 'ISO 8601 instant' },
            properties: { type: 'object', description: 'the interaction attributes, or give them at the top level' },
          },
          additionalProperties: true,
        },
      },
      response: { 200: writeReport },
    }),
    bodyLimit: 64 * 1024 * 1024,
    handler: async (request) => {
      const r = await asBody(false, () => engine.ingestInteractions(request.body as Record<string, unknown>[]));
      await settle();
      return report(r);
    },
  });
}

export type { EntityKind };
