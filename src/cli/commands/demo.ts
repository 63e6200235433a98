import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSegments, generateDataset } from '../../engine/demo/index.js';
import type { Engine } from '../../engine/engine.js';
import { SegmataError } from '../../errors.js';
import { withEngine } from '../context.js';
import { table } from '../format.js';
import { progressBar } from '../progress.js';

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new SegmataError('invalid_argument', `--${name}: expected a non-negative integer, got "${v}"`);
  return n;
}

async function summary(engine: Engine): Promise<void> {
  const [counts] = await engine.store.all<Record<string, number>>(
    `SELECT (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM accounts) AS accounts,
            (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM interactions) AS interactions`,
  );
  console.log(`database: ${counts?.contacts} contacts, ${counts?.accounts} accounts, ${counts?.leads} leads, ${counts?.interactions} interactions`);
  const segments = await engine.segments.list();
  if (segments.length) {
    console.log(table(['SEGMENT', 'TYPE', 'STATUS', 'MEMBERS'], segments.map((s) => [s.id, s.type, s.status, s.memberCount])));
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('load a realistic generated demo data set and a handful of ready segments')
    .option('--contacts <n>', 'contacts', '10000')
    .option('--accounts <n>', 'accounts', '1000')
    .option('--interactions <n>', 'interactions', '200000')
    .option('--seed <n>', 'random seed (same seed, same data)', '42')
    .option('--reuse', 'if the database already holds data, keep it and just print the summary')
    .action(async (opts: { contacts: string; accounts: string; interactions: string; seed: string; reuse?: boolean }, cmd: Command) =>
      withEngine(cmd, async (engine) => {
        const [existing] = await engine.store.all<{ n: number }>('SELECT count(*) AS n FROM contacts');
        if ((existing?.n ?? 0) > 0) {
          if (opts.reuse) {
            await summary(engine);
            return;
          }
          throw new SegmataError('conflict', 'the database already holds contacts; use another --db for the demo (or --reuse to keep it)');
        }
        const dir = mkdtempSync(join(tmpdir(), 'segmata-demo-'));
        const bar = progressBar('demo');
        try {
          const { files } = await generateDataset({
            dir,
            contacts: positiveInt('contacts', opts.contacts),
            accounts: positiveInt('accounts', opts.accounts),
            interactions: positiveInt('interactions', opts.interactions),
            seed: positiveInt('seed', opts.seed),
            now: engine.clock(),
            onProgress: (done, total) => bar.update('generating', (done / Math.max(total, 1)) * 50),
          });
          const order = ['accounts', 'contacts', 'leads', 'interactions'] as const;
          for (const [i, kind] of order.entries()) {
            await engine.importFile(kind, files[kind], { onProgress: () => bar.update(`importing ${kind}`, 50 + (i / order.length) * 40) });
          }
          // Nothing is live yet: this just clears the change queue the imports filled.
          await engine.live.processPending();
          bar.update('segments', 95);
          for (const def of demoSegments()) {
            const s = await engine.segments.create(def);
            await engine.segments.goLive(s.id);
          }
        } finally {
          bar.stop();
          rmSync(dir, { recursive: true, force: true });
        }
        await summary(engine);
      }),
    );
}
