import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { createKey } from '../../src/engine/access/keys.js';
import { loadDemo } from '../../src/engine/demo/load.js';
import { Engine } from '../../src/engine/engine.js';
import { tempDir } from '../helpers/engine.js';

/** A demo data set small enough to load in seconds, with the demo's segments (some live). */
const E2E_DEMO = { contacts: 2_000, accounts: 200, interactions: 30_000, seed: 7 };

export interface UiServer {
  base: string;
  adminKey: string;
  viewerKey: string;
  engine: Engine;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** `segmata serve --demo` in this process, serving the UI built in `webDir`. */
export async function startUiServer(webDir: string): Promise<UiServer> {
  const { dir, cleanup } = tempDir('segmata-e2e-');
  const engine = await Engine.open({ db: `${dir}/ui.duckdb`, resident: true });
  await loadDemo(engine, E2E_DEMO);
  const adminKey = (await createKey(engine.store, 'admin', 'e2e admin', engine.clock())).key;
  const viewerKey = (await createKey(engine.store, 'viewer', 'e2e viewer', engine.clock())).key;
  const { app } = await buildServer(engine, { logger: false, webDir });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    adminKey,
    viewerKey,
    engine,
    app,
    async close() {
      await app.close();
      await engine.close();
      cleanup();
    },
  };
}
