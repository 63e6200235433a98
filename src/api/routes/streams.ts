import type { FastifyInstance } from 'fastify';
import { changesSince } from '../../engine/segments/members.js';
import type { ApiContext } from '../server.js';
import { idParams, op } from '../schemas.js';

/** An idle stream still gets a comment this often, so proxies keep it open and a dead client is noticed. */
const HEARTBEAT_MS = 15_000;
/** Changes that no live batch announces (an edit, go-live) are picked up at least this often. */
const POLL_MS = 1_000;

export function registerStreamRoutes(api: FastifyInstance, { engine, streams }: ApiContext): void {
  api.get('/segments/:id/changes/stream', {
    schema: op('viewer', 'segments', 'Server-sent events: each membership change as it is recorded (`id` is its seq; reconnect with Last-Event-ID, or `after`, to resume)', {
      params: idParams('id'),
      querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'integer', minimum: 0, description: 'start after this seq (default: now)' } } },
      produces: ['text/event-stream'],
    }),
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      await engine.segments.get(id);
      const resume = request.headers['last-event-id'];
      const given = (request.query as { after?: number }).after ?? (resume !== undefined && /^\d+$/.test(String(resume)) ? Number(resume) : undefined);
      // Reads go to the read connections: each open stream polls every second.
      const reader = engine.store.reader();
      let last = given ?? (await reader.all<{ s: number | null }>('SELECT max(seq) AS s FROM membership_changes'))[0]?.s ?? 0;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
      res.write(': segmata change stream\n\n');
      let closed = false;
      let busy = false;
      let again = false;
      const pump = async (): Promise<void> => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          do {
            again = false;
            for (;;) {
              const rows = await changesSince(reader, id, undefined, last, 1000);
              if (closed || rows.length === 0) break;
              let out = '';
              for (const r of rows) {
                out += `id: ${r.seq}\nevent: change\ndata: ${JSON.stringify({ seq: r.seq, contactId: r.contact_id, change: r.change, at: r.changed_at.toISOString(), cause: r.cause })}\n\n`;
                last = r.seq;
              }
              if (!res.write(out)) await new Promise((r) => res.once('drain', r));
              if (rows.length < 1000) break;
            }
          } while (again && !closed);
        } catch (e) {
          request.log.error({ err: e }, 'change stream failed');
          res.end();
        } finally {
          busy = false;
        }
      };
      const unsubscribe = engine.live.subscribe((changes) => {
        if (changes.some((c) => c.segmentId === id)) void pump();
      });
      const poll = setInterval(() => void pump(), POLL_MS);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const close = (): void => {
        closed = true;
        unsubscribe();
        clearInterval(poll);
        clearInterval(heartbeat);
        streams.delete(end);
      };
      // The server closing ends open streams (they would otherwise hold its shutdown).
      const end = (): void => {
        close();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', close);
      void pump();
    },
  });
}
