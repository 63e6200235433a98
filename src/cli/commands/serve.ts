import type { Command } from 'commander';
import { parseDuration } from '../../api/evaluation.js';
import { buildServer } from '../../api/server.js';
import { activeKeyCount, createKey } from '../../engine/access/keys.js';
import { DEFAULT_DEMO_SIZE } from '../../engine/demo/index.js';
import { holdsData, loadDemo } from '../../engine/demo/load.js';
import { SegmataError } from '../../errors.js';
import { withEngine } from '../context.js';
import { progressBar } from '../progress.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SegmataError('invalid_argument', `--port: expected 0–65535, got "${v}"`);
  return n;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (under /api/v1, docs at /docs) and keep live segments current, until interrupted')
    .option('--port <n>', 'port (0: any free one)', '3000')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--demo', 'on a database without contacts, load the demo data set first')
    .option('--quiet', 'no request log')
    .option('--query-timeout <duration>', 'how long an estimate, overlap, draft preview, export or explain may run before it is stopped and answered 503, e.g. 10s, 1500ms, 2m (default: $SEGMATA_QUERY_TIMEOUT, else 10s)')
    .option('--allow-private-webhooks', 'let webhooks deliver to loopback, private and link-local addresses (a receiver on this machine or network); also SEGMATA_ALLOW_PRIVATE_WEBHOOKS=1')
    .action(async (opts: { port: string; host: string; demo?: boolean; quiet?: boolean; allowPrivateWebhooks?: boolean; queryTimeout?: string }, cmd: Command) => {
      // Checked before the database is opened: a wrong value changes nothing.
      const timeout = opts.queryTimeout ?? process.env.SEGMATA_QUERY_TIMEOUT;
      const queryTimeoutMs = timeout === undefined ? undefined : parseDuration(timeout, opts.queryTimeout === undefined ? 'SEGMATA_QUERY_TIMEOUT' : '--query-timeout');
      return withEngine(
        cmd,
        async (engine) => {
          if (opts.demo && !(await holdsData(engine))) {
            const bar = progressBar('demo');
            try {
              await loadDemo(engine, DEFAULT_DEMO_SIZE, (phase, percent) => bar.update(phase, percent));
            } finally {
              bar.stop();
            }
          }
          // First start: no key can call the API yet, so one admin key is made and shown once.
          let firstKey: string | undefined;
          if ((await activeKeyCount(engine.store)) === 0) {
            firstKey = (await createKey(engine.store, 'admin', 'first-run admin', engine.clock())).key;
            process.stderr.write(`\nsegmata serve: first start, created an admin API key (shown once, store it now):\n\n  ${firstKey}\n\n`);
          }
          const allowPrivateWebhooks = opts.allowPrivateWebhooks === true || process.env.SEGMATA_ALLOW_PRIVATE_WEBHOOKS === '1';
          const { app } = await buildServer(engine, { logger: opts.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' }, allowPrivateWebhooks, queryTimeoutMs });
          const address = await app.listen({ port: port(opts.port), host: opts.host });
          process.stderr.write(`segmata serve: listening on ${address} — web UI ${address}/, API ${address}/api/v1, docs ${address}/docs (Ctrl-C to stop)\n`);
          if (allowPrivateWebhooks) process.stderr.write('segmata serve: webhooks may deliver to loopback, private and link-local addresses (--allow-private-webhooks)\n');
          // The key rides in the address's fragment, which a browser never sends to a server (so
          // no request line or proxy log holds it); the UI stores it and takes it out of the address.
          if (firstKey) process.stderr.write(`segmata serve: open the web UI signed in as that admin: ${address}/#key=${firstKey}\n`);
          // Graceful stop: requests in flight finish, streams end, the live loop stops after its
          // pass; withEngine then closes the engine, which applies whatever is deferred.
          await new Promise<void>((resolve) => {
            const stop = (): void => {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
              process.stderr.write('segmata serve: stopping…\n');
              void app.close().then(resolve, resolve);
            };
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        },
        { resident: true },
      );
    });
}
