import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeOptions } from '../../engine/access/audit.js';
import { describeExplanation } from '../../engine/contact/describe-explanation.js';
import { describeBlocks, outlineBlocks, plural } from '../../definition/describe.js';
import { checkDefinitionBounds } from '../../definition/limits.js';
import { eachMember, memberHistory, memberPage, overlaps, type HistoryBucket } from '../../engine/segments/insights.js';
import { csvCell, csvLines } from '../../engine/segments/csv-lines.js';
import type { ChangeRow } from '../../engine/segments/members.js';
import type { SegmentJson, SegmentRecord } from '../../engine/segments/types.js';
import { searchedColumns } from '../../engine/records/read.js';
import { jsonRow } from '../../engine/records/values.js';
import { actorOf } from '../auth.js';
import { badCursor, decodeCursor, encodeCursor } from '../cursor.js';
import { httpProblem } from '../problem.js';
import { sendStreamed } from '../streamed-read.js';
import type { ApiContext } from '../server.js';
import { cursorParam, idParams, limitParam, op, pageOf, withTotal } from '../schemas.js';

const STATUSES = ['draft', 'live', 'stopped', 'error'] as const;
const TYPES = ['dynamic', 'static', 'compound'] as const;

/** A segment as the API shows it: instants in ISO 8601, and its definition in words. */
export function segmentJson(s: SegmentRecord): SegmentJson {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    type: s.type,
    status: s.status,
    version: s.version,
    error: s.error,
    memberCount: s.memberCount,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    evaluatedAt: s.evaluatedAt ? s.evaluatedAt.toISOString() : null,
    definition: s.definition,
  };
}

/** A segment as an answer, with its version as the ETag an edit sends back in If-Match. */
export function sendSegment(reply: FastifyReply, s: SegmentRecord, code = 200): FastifyReply {
  return reply.code(code).header('etag', `"${s.version}"`).send(segmentJson(s));
}

/** Who a segment change is by, for its audit entry: the request's key. */
export function changeBy(request: FastifyRequest): ChangeOptions {
  return { actor: actorOf(request) };
}

/** The version an `If-Match` names: `"3"`, `W/"3"` or `3`. */
function expectedVersion(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  if (header === undefined) {
    throw httpProblem(428, 'precondition-required', 'send If-Match with the segment\'s ETag (its version, e.g. If-Match: "3"), so an edit never overwrites one made meanwhile', [
      { path: 'header.if-match', message: 'required' },
    ]);
  }
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(String(header));
  if (!m) throw httpProblem(400, 'validation', `header.if-match: expected the segment's ETag, e.g. "3", got ${JSON.stringify(header)}`, [{ path: 'header.if-match', message: 'not an ETag of this API' }]);
  return Number(m[1]);
}

const evaluationResult = {
  type: 'object',
  required: ['segment'],
  properties: {
    segment: { $ref: 'segment#' },
    members: { type: 'integer' },
    entered: { type: 'integer' },
    exited: { type: 'integer' },
    ms: { type: 'number' },
  },
} as const;

const changeItem = {
  type: 'object',
  required: ['seq', 'contactId', 'change', 'at', 'cause'],
  properties: {
    seq: { type: 'integer' },
    contactId: { type: 'string' },
    change: { enum: ['entered', 'exited'] },
    at: { type: 'string', description: 'the instant it took effect (for a window passing: the exact instant)' },
    cause: { type: 'string' },
  },
} as const;

const definitionBody = { $ref: 'segment-definition#' } as const;

/**
 * A definition's size bounds, checked before the body schema: that check recurses, and a
 * definition nested hundreds deep would overflow the stack in it (see definition/limits.ts).
 */
const definitionBounds = async (request: FastifyRequest): Promise<void> => checkDefinitionBounds(request.body);

export function registerSegmentRoutes(api: FastifyInstance, { engine, settle, evaluations }: ApiContext): void {
  const segments = engine.segments;

  api.get('/segments', {
    schema: op('viewer', 'segments', 'List segments: search by name or id, filter by status and type (paged, by name)', {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          search: { type: 'string', maxLength: 200 },
          status: { type: 'array', items: { enum: STATUSES } },
          type: { type: 'array', items: { enum: TYPES } },
          limit: limitParam,
          cursor: cursorParam,
        },
      },
      response: { 200: { ...pageOf({ $ref: 'segment#' }), properties: { ...pageOf({}).properties, items: { type: 'array', items: { $ref: 'segment#' } }, total: { type: 'integer' } } } },
    }),
    handler: async (request) => {
      const q = request.query as { search?: string; status?: string[]; type?: string[]; limit: number; cursor?: string };
      const after = decodeCursor(q.cursor);
      const needle = q.search?.toLowerCase();
      const key = (s: SegmentRecord): string => `${s.name.toLowerCase()}\u0000${s.id}`;
      const matching = (await segments.list())
        .filter((s) => (!needle || s.name.toLowerCase().includes(needle) || s.id.includes(needle)) && (!q.status?.length || q.status.includes(s.status)) && (!q.type?.length || q.type.includes(s.type)))
        .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      const rest = after === undefined ? matching : matching.filter((s) => key(s) > after);
      const items = rest.slice(0, q.limit);
      return { items: items.map(segmentJson), total: matching.length, ...(rest.length > q.limit ? { next: encodeCursor(key(items[items.length - 1]!)) } : {}) };
    },
  });

  api.post('/segments', {
    preValidation: definitionBounds,
    schema: op('editor', 'segments', 'Create a segment (a draft) from its definition', { body: definitionBody, response: { 201: { $ref: 'segment#' } } }),
    handler: async (request, reply) => {
      const s = await segments.create(request.body, changeBy(request));
      return sendSegment(reply, s, 201);
    },
  });

  api.post('/segments/estimate', {
    // Admitted before its body is read: a burst of large definitions waits its turn unparsed.
    onRequest: evaluations.admit,
    preValidation: definitionBounds,
    schema: op('viewer', 'segments', 'Estimate a definition without saving it: total members and each block\'s own count', {
      body: definitionBody,
      response: {
        200: {
          type: 'object',
          required: ['total', 'blocks'],
          properties: {
            total: { type: 'integer' },
            blocks: { type: 'array', items: { type: 'object', required: ['index', 'kind', 'count'], properties: { index: { type: 'integer' }, kind: { type: 'string' }, count: { type: 'integer' } } } },
            ms: { type: 'number' },
          },
        },
      },
    }),
    // On the read connections, with a deadline, at most a few at once per key (api/evaluation.ts).
    handler: async (request, reply) => evaluations.run(request, reply, 'expensive', ({ reads }) => segments.estimate(request.body, reads)),
  });

  api.post('/segments/refresh-all', {
    schema: op('editor', 'segments', 'Re-evaluate every live segment now, in dependency order', {
      response: {
        200: pageOf({ type: 'object', required: ['segmentId', 'members', 'entered', 'exited', 'ms'], properties: { segmentId: { type: 'string' }, members: { type: 'integer' }, entered: { type: 'integer' }, exited: { type: 'integer' }, ms: { type: 'number' } } }),
      },
    }),
    handler: async (request) => {
      const results = await segments.refresh(undefined, changeBy(request));
      await settle();
      return { items: results };
    },
  });

  api.get('/segments/overlap', {
    schema: op('viewer', 'segments', 'Pairwise intersections of segments\' members', {
      querystring: { type: 'object', required: ['ids'], additionalProperties: false, properties: { ids: { type: 'string', minLength: 1, description: 'comma-separated segment ids, 2 to 20' } } },
      response: {
        200: {
          type: 'object',
          required: ['segments', 'pairs'],
          properties: {
            segments: { type: 'array', items: { type: 'object', required: ['id', 'members'], properties: { id: { type: 'string' }, members: { type: 'integer' } } } },
            pairs: { type: 'array', items: { type: 'object', required: ['a', 'b', 'both'], properties: { a: { type: 'string' }, b: { type: 'string' }, both: { type: 'integer' } } } },
          },
        },
      },
    }),
    handler: async (request, reply) => {
      const ids = [...new Set((request.query as { ids: string }).ids.split(',').map((s) => s.trim()).filter(Boolean))];
      if (ids.length < 2 || ids.length > 20) throw httpProblem(400, 'validation', `query.ids: give 2 to 20 segment ids, got ${ids.length}`, [{ path: 'query.ids', message: 'expected 2 to 20 ids' }]);
      const found = await Promise.all(ids.map((id) => segments.get(id)));
      return { segments: found.map((s) => ({ id: s.id, members: s.memberCount })), pairs: await evaluations.run(request, reply, 'expensive', ({ reads }) => overlaps(reads, ids)) };
    },
  });

  api.get('/segments/:id', {
    schema: op('viewer', 'segments', 'One segment (its ETag is its version), with its definition in words', {
      params: idParams('id'),
      response: { 200: { $ref: 'segment#' } },
    }),
    handler: async (request, reply) => sendSegment(reply, await segments.get((request.params as { id: string }).id)),
  });

  api.get('/segments/:id/summary', {
    schema: op('viewer', 'segments', 'A segment\'s definition in plain words (names under their display labels, segments under their names): on one line, and as an outline', {
      params: idParams('id'),
      response: {
        200: {
          type: 'object',
          required: ['id', 'summary', 'outline'],
          properties: {
            id: { type: 'string' },
            summary: { type: 'string', description: 'one line: groups in parentheses, blocks separated by "; and also", "; or", "; but not"' },
            outline: {
              type: 'array',
              description: 'one item per block: `relation` (absent on the first), `text`, and `items` (the parts of a group or of an all/any/not, alike)',
              items: { type: 'object', additionalProperties: true },
            },
          },
        },
      },
    }),
    handler: async (request) => {
      const s = await segments.get((request.params as { id: string }).id);
      const labels = await engine.labels();
      if (!s.definition.query) return { id: s.id, summary: plural(s.memberCount, 'hand-picked contact'), outline: [] };
      return { id: s.id, summary: describeBlocks(s.definition.query.blocks, labels), outline: outlineBlocks(s.definition.query.blocks, labels) };
    },
  });

  api.put('/segments/:id', {
    preValidation: definitionBounds,
    schema: op('editor', 'segments', 'Replace a segment\'s definition; needs If-Match with its ETag (a stale one gets 409, nothing changed)', {
      params: idParams('id'),
      headers: { type: 'object', properties: { 'if-match': { type: 'string' } } },
      body: definitionBody,
      response: { 200: { $ref: 'segment#' } },
    }),
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const expected = expectedVersion(request);
      const s = await segments.update(id, request.body, { expectedVersion: expected, ...changeBy(request) });
      await settle();
      return sendSegment(reply, s);
    },
  });

  api.delete('/segments/:id', {
    schema: op('editor', 'segments', 'Delete a segment (not while a segment references it)', { params: idParams('id'), response: { 204: { type: 'null' } } }),
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      await segments.delete(id, changeBy(request));
      return reply.code(204).send();
    },
  });

  for (const [action, path, summary] of [
    ['go_live', 'go-live', 'Take a segment live: evaluate it now and keep it current from then on'],
    ['refresh', 'refresh', 'Re-evaluate a live segment (and its dependents) now'],
  ] as const) {
    api.post(`/segments/:id/${path}`, {
      schema: op('editor', 'segments', summary, { params: idParams('id'), response: { 200: evaluationResult } }),
      handler: async (request) => {
        const { id } = request.params as { id: string };
        const result = action === 'go_live' ? await segments.goLive(id, changeBy(request)) : (await segments.refresh(id, changeBy(request)))[0]!;
        const after = await segments.get(id);
        await settle();
        return { segment: segmentJson(after), members: result.members, entered: result.entered, exited: result.exited, ms: result.ms };
      },
    });
  }

  api.post('/segments/:id/stop', {
    schema: op('editor', 'segments', 'Stop a live segment: its membership is kept but no longer maintained', { params: idParams('id'), response: { 200: evaluationResult } }),
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const s = await segments.stop(id, changeBy(request));
      return { segment: segmentJson(s) };
    },
  });

  api.post('/segments/:id/members', {
    schema: op('editor', 'segments', 'Add or remove hand-picked members of a static segment', {
      params: idParams('id'),
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          add: { type: 'array', maxItems: 100_000, items: { type: 'string', minLength: 1 } },
          remove: { type: 'array', maxItems: 100_000, items: { type: 'string', minLength: 1 } },
        },
      },
      response: { 200: { type: 'object', required: ['added', 'removed', 'segment'], properties: { added: { type: 'integer' }, removed: { type: 'integer' }, segment: { $ref: 'segment#' } } } },
    }),
    bodyLimit: 8 * 1024 * 1024,
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as { add?: string[]; remove?: string[] };
      const added = b.add?.length ? await segments.changeMembers(id, b.add, 'add', changeBy(request)) : 0;
      const removed = b.remove?.length ? await segments.changeMembers(id, b.remove, 'remove', changeBy(request)) : 0;
      await settle();
      return { added, removed, segment: segmentJson(await segments.get(id)) };
    },
  });

  api.get('/segments/:id/members', {
    schema: op('viewer', 'segments', 'Members with their contact attributes, in contact-id order (cursor paging, stable while members change); `search` matches the id and any text attribute', {
      params: idParams('id'),
      querystring: { type: 'object', additionalProperties: false, properties: { limit: limitParam, cursor: cursorParam, search: { type: 'string', maxLength: 200 } } },
      response: { 200: withTotal(pageOf({ $ref: 'record#' }), 'how many members (matching the search) in all: on every page of a stored membership, on the first page of a search or of a draft') },
    }),
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const q = request.query as { limit: number; cursor?: string; search?: string };
      const after = decodeCursor(q.cursor);
      if (!q.search) {
        // A maintained membership is paged from memory (an index kept current from the change log).
        // Its rows are JSON already (rendered by DuckDB from the table): the page is written
        // as text, not parsed and serialized again (~1 ms a page; the shape is held to the
        // route's schema by the tests instead of per response).
        const fast = await engine.memberPageFromMemory(id, after, q.limit);
        if (fast !== 'not_maintained') {
          const next = fast.next ? `,"next":${JSON.stringify(encodeCursor(fast.next))}` : '';
          return reply.type('application/json; charset=utf-8').send(`{"items":[${fast.items.join(',')}]${next},"total":${fast.total}}`);
        }
      }
      const searchIn = searchedColumns(engine.registry, 'contact');
      // A draft's members are an evaluation (a search reads every member's contact): with a deadline, admitted per key.
      const page = await evaluations.run(request, reply, 'expensive', async ({ reads }) => memberPage(reads, await segments.memberSource(id, reads), { limit: q.limit, searchIn, ...(after !== undefined ? { after } : {}), ...(q.search ? { search: q.search } : {}) }));
      const types = new Map(engine.registry.attributes('contact').map((a) => [a.name, a.type as string]));
      return { items: page.items.map((r) => jsonRow(r, types)), ...(page.next ? { next: encodeCursor(page.next) } : {}), ...(page.total !== undefined ? { total: page.total } : {}) };
    },
  });

  api.get('/segments/:id/members.csv', {
    schema: op('viewer', 'segments', 'All members with their contact attributes as CSV, streamed', { params: idParams('id'), produces: ['text/csv'] }),
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      await segments.get(id);
      const attributes = engine.registry.attributes('contact');
      const columns = ['id', ...attributes.map((a) => a.name)];
      const csv = csvLines(engine.store.dialect, [{ name: 'id', type: 'string' }, ...attributes], 'c');
      // A draft's members are evaluated: with a deadline until the first rows, admitted per key.
      return evaluations.run(request, reply, 'expensive', async (evaluation) => {
        const source = await segments.memberSource(id, evaluation.reads);
        return sendStreamed(reply, evaluation, {
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${id}-members.csv"` },
          head: `${columns.map((c) => csvCell(c)).join(',')}\n`,
          read: (onRows) => eachMember(evaluation.reads, source, onRows, csv.select),
          render: (rows) => {
            let text = '';
            for (const row of rows) text += `${csv.line(row)}\n`;
            return text;
          },
          idleMs: evaluations.timeoutMs,
          failed: (e) => request.log.error({ err: e }, 'members export failed'),
        });
      });
    },
  });

  api.get('/segments/:id/explain/:contactId', {
    schema: op('viewer', 'segments', 'Why a contact is or is not a member, block by block', {
      params: idParams('id', 'contactId'),
      response: {
        200: {
          type: 'object',
          required: ['segmentId', 'contactId', 'contactExists', 'member', 'blocks', 'text', 'now'],
          properties: {
            segmentId: { type: 'string' },
            contactId: { type: 'string' },
            contactExists: { type: 'boolean' },
            member: { type: 'boolean', description: 'the verdict of evaluating the definition now' },
            storedMember: { type: ['boolean', 'null'], description: 'live, stopped and static segments: in the stored membership?' },
            blocks: { type: 'array', items: { type: 'object', additionalProperties: true } },
            text: { type: 'string', description: 'the same, in words' },
            now: { type: 'string' },
          },
        },
      },
    }),
    handler: async (request, reply) => {
      const { id, contactId } = request.params as { id: string; contactId: string };
      const e = await evaluations.run(request, reply, 'cheap', ({ reads }) => engine.explain(id, contactId, reads));
      const s = await segments.get(id);
      return {
        segmentId: id,
        contactId,
        contactExists: e.contactExists,
        member: e.member,
        storedMember: e.storedMember,
        blocks: JSON.parse(JSON.stringify(e.blocks)) as unknown[],
        text: describeExplanation(e, s.definition.query?.blocks ?? [], await engine.labels()),
        now: e.now.toISOString(),
      };
    },
  });

  api.get('/segments/:id/changes', {
    schema: op('viewer', 'segments', 'The membership change log, oldest first (cursor paging; `since` an ISO instant), or with `order=desc` newest first', {
      params: idParams('id'),
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          since: { type: 'string', minLength: 1 },
          after: { type: 'integer', minimum: 0, description: 'only changes after this seq' },
          order: { enum: ['asc', 'desc'], default: 'asc', description: 'desc: the latest first (`since` and `after` apply to asc only)' },
          limit: { ...limitParam, maximum: 10_000 },
          cursor: cursorParam,
        },
      },
      response: { 200: pageOf(changeItem) },
    }),
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { since?: string; after?: number; order: 'asc' | 'desc'; limit: number; cursor?: string };
      const toItem = (r: ChangeRow) => ({ seq: r.seq, contactId: r.contact_id, change: r.change, at: r.changed_at.toISOString(), cause: r.cause });
      if (q.order === 'desc') {
        const cursor = decodeCursor(q.cursor);
        const before = cursor === undefined ? undefined : Number(cursor);
        if (before !== undefined && !Number.isSafeInteger(before)) throw badCursor();
        const rows = await engine.latestChanges(id, before, q.limit + 1);
        const items = rows.slice(0, q.limit).map(toItem);
        return { items, ...(rows.length > q.limit ? { next: encodeCursor(String(items[items.length - 1]!.seq)) } : {}) };
      }
      const since = q.since === undefined ? undefined : new Date(q.since);
      if (since && Number.isNaN(since.getTime())) throw httpProblem(400, 'validation', `query.since: expected an ISO 8601 instant, got "${q.since}"`, [{ path: 'query.since', message: 'not an ISO 8601 instant' }]);
      const cursor = decodeCursor(q.cursor);
      const after = cursor === undefined ? (q.after ?? 0) : Number(cursor);
      if (!Number.isSafeInteger(after)) throw badCursor();
      const rows = await engine.changes(id, since, after);
      const items = rows.slice(0, q.limit).map(toItem);
      return { items, ...(rows.length > q.limit ? { next: encodeCursor(String(items[items.length - 1]!.seq)) } : {}) };
    },
  });

  api.get('/segments/:id/history', {
    schema: op('viewer', 'segments', 'Member count over time (per hour, day or week), with the entries and exits of each', {
      params: idParams('id'),
      querystring: { type: 'object', additionalProperties: false, properties: { bucket: { enum: ['hour', 'day', 'week'], default: 'day' } } },
      response: {
        200: pageOf({ type: 'object', required: ['at', 'members', 'entered', 'exited'], properties: { at: { type: 'string' }, members: { type: 'integer' }, entered: { type: 'integer' }, exited: { type: 'integer' } } }),
      },
    }),
    handler: async (request) => {
      const { id } = request.params as { id: string };
      await segments.get(id);
      // A scan of the segment's change log: on a read connection, not behind the writers.
      const points = await memberHistory(engine.store.reader(), id, (request.query as { bucket: HistoryBucket }).bucket);
      return { items: points.map((p) => ({ ...p, at: p.at.toISOString() })) };
    },
  });
}
