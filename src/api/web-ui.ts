import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The built web UI (dist/web, made by `npm run build`), found from this file whether it runs
 * from src/ or dist/; `SEGMATA_WEB_DIR` names another build (a UI being worked on).
 */
export function webUiDir(): string | undefined {
  const override = process.env.SEGMATA_WEB_DIR;
  if (override) return existsSync(join(override, 'index.html')) ? override : undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'dist', 'web');
      return existsSync(join(web, 'index.html')) ? web : undefined;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The web UI at `/`: static files (the UI talks to /api/v1 like any client, with a key). Without
 * a build (running from the sources), `/` leads to the API docs instead.
 */
export async function registerWebUi(app: FastifyInstance, dir: string | undefined): Promise<void> {
  if (!dir) {
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/docs'));
    return;
  }
  // Hashed asset names never change content: cache them; index.html always revalidates.
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    schemaHide: true,
    setHeaders: (res, path) => res.header('cache-control', path.includes(join('assets', '')) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
}
