import type { FastifyInstance } from 'fastify';
import { buildServer, type ApiContext, type ServerOptions } from '../../src/api/server.js';
import { createKey, type Role } from '../../src/engine/access/keys.js';
import { fixedClock } from '../../src/engine/clock.js';
import { Engine } from '../../src/engine/engine.js';
import { tempDir, TEST_NOW } from './engine.js';
import type { DispatcherOptions } from '../../src/engine/webhooks/dispatcher.js';

/** A server started over real HTTP on a fresh file database (a long-running process, as `serve` runs it). */
export interface TestServer {
  base: string;
  /** Every route answered with a 2xx so far: `GET /api/v1/segments/:id`. */
  answered: Set<string>;
  /** Every route whose handler was reached (an event stream takes over its reply: it is never "answered"). */
  reached: Set<string>;
  /** The database file. */
  db: string;
  engine: Engine;
  app: FastifyInstance;
  /** What the routes share (the live loop, the evaluations' deadline and admission, …). */
  context: ApiContext;
  keys: Record<Role, string>;
  /** fetch under /api/v1 with a role's key (or none), JSON in and out. */
  call(method: string, path: string, options?: { role?: Role | 'none'; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  /** Stop the server and close the engine, keeping the database (a restart follows). */
  stop(): Promise<void>;
  /** Stop, and remove the database this helper made. */
  close(): Promise<void>;
}

export const CONTACTS = [
  { id: 'c1', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', state: 'AZ', score: 90 },
  { id: 'c2', first_name: 'Alan', last_name: 'Turing', email: 'alan@example.com', state: 'AZ', score: 40 },
  { id: 'c3', first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', state: 'CA', score: 75 },
  { id: 'c4', first_name: 'Edsger', last_name: 'Dijkstra', email: 'edsger@example.com', state: 'TX', score: 10 },
];

/**
 * `db`: reopen an existing database (a restart) instead of a fresh one with the test contacts;
 * its keys are made anew.
 */
export async function startServer(options: { now?: string; live?: boolean; db?: string; webhooks?: DispatcherOptions | false; seed?: boolean; allowPrivateWebhooks?: boolean; server?: ServerOptions } = {}): Promise<TestServer> {
  const fresh = options.db === undefined;
  const { dir, cleanup } = fresh ? tempDir('segmata-api-') : { dir: '', cleanup: () => undefined };
  const db = options.db ?? `${dir}/api.duckdb`;
  const engine = await Engine.open({ db, clock: fixedClock(options.now ?? TEST_NOW), resident: true });
  if (fresh && options.seed !== false) await engine.upsertRecords('contacts', CONTACTS);
  const keys = {
    viewer: (await createKey(engine.store, 'viewer', 'test viewer', engine.clock())).key,
    editor: (await createKey(engine.store, 'editor', 'test editor', engine.clock())).key,
    admin: (await createKey(engine.store, 'admin', 'test admin', engine.clock())).key,
  };
  const { app, context } = await buildServer(engine, {
    logger: process.env.SEGMATA_TEST_LOG ? { level: 'error' } : false,
    live: options.live ?? true,
    webhooks: options.webhooks ?? { retryBaseMs: 50, retryMaxMs: 200 },
    // The tests' receivers listen on 127.0.0.1: allowed unless a test checks the refusal.
    allowPrivateWebhooks: options.allowPrivateWebhooks ?? true,
    ...options.server,
  });
  const answered = new Set<string>();
  const reached = new Set<string>();
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url) reached.add(`${request.method} ${request.routeOptions.url}`);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 300 && request.routeOptions.url) answered.add(`${request.method} ${request.routeOptions.url}`);
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await engine.close();
  };
  return {
    base,
    answered,
    reached,
    db,
    engine,
    app,
    context,
    keys,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const role = o.role ?? 'admin';
      if (role !== 'none') headers.authorization = `Bearer ${keys[role]}`;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${base}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = undefined;
      if (/json/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
      return { status: res.status, body: parsed, headers: res.headers, text };
    },
    stop,
    async close() {
      await stop();
      cleanup();
    },
  };
}
