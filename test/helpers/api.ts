import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { createKey, type Role } from '../../src/engine/access/keys.js';
import { fixedClock } from '../../src/engine/clock.js';
import { Engine } from '../../src/engine/engine.js';
import { tempDir, TEST_NOW } from './engine.js';

/** A server started over real HTTP on a fresh file database (a long-running process, as `serve` runs it). */
export interface TestServer {
  base: string;
  engine: Engine;
  app: FastifyInstance;
  keys: Record<Role, string>;
  /** fetch under /api/v1 with a role's key (or none), JSON in and out. */
  call(method: string, path: string, options?: { role?: Role | 'none'; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  close(): Promise<void>;
}

export const CONTACTS = [
  { id: 'c1', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', state: 'AZ', score: 90 },
  { id: 'c2', first_name: 'Alan', last_name: 'Turing', email: 'alan@example.com', state: 'AZ', score: 40 },
  { id: 'c3', first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', state: 'CA', score: 75 },
  { id: 'c4', first_name: 'Edsger', last_name: 'Dijkstra', email: 'edsger@example.com', state: 'TX', score: 10 },
];

export async function startServer(options: { now?: string; live?: boolean } = {}): Promise<TestServer> {
  const { dir, cleanup } = tempDir('segmata-api-');
  const engine = await Engine.open({ db: `${dir}/api.duckdb`, clock: fixedClock(options.now ?? TEST_NOW), resident: true });
  await engine.upsertRecords('contacts', CONTACTS);
  const keys = {
    viewer: (await createKey(engine.store, 'viewer', 'test viewer', engine.clock())).key,
    editor: (await createKey(engine.store, 'editor', 'test editor', engine.clock())).key,
    admin: (await createKey(engine.store, 'admin', 'test admin', engine.clock())).key,
  };
  const { app } = await buildServer(engine, { logger: process.env.SEGMATA_TEST_LOG ? { level: 'error' } : false, live: options.live ?? true });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    engine,
    app,
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
    async close() {
      await app.close();
      await engine.close();
      cleanup();
    },
  };
}
