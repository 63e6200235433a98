import type { Command } from 'commander';
import { DEFAULT_DEMO_SIZE } from '../../engine/demo/index.js';
import { holdsData, loadDemo } from '../../engine/demo/load.js';
import type { Engine } from '../../engine/engine.js';
import { SegmataError } from '../../errors.js';
import { withEngine } from '../context.js';
import { plural, table } from '../format.js';
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
  console.log(`database: ${(['contacts', 'accounts', 'leads', 'interactions'] as const).map((k) => plural(Number(counts?.[k] ?? 0), k.slice(0, -1), k)).join(', ')}`);
  const segments = await engine.segments.list();
  if (segments.length) {
    console.log(table(['SEGMENT', 'TYPE', 'STATUS', 'MEMBERS'], segments.map((s) => [s.id, s.type, s.status, s.memberCount])));
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('load a realistic generated demo data set and a handful of ready segments')
    .option('--contacts <n>', 'contacts', String(DEFAULT_DEMO_SIZE.contacts))
    .option('--accounts <n>', 'accounts', String(DEFAULT_DEMO_SIZE.accounts))
    .option('--interactions <n>', 'interactions', String(DEFAULT_DEMO_SIZE.interactions))
    .option('--seed <n>', 'random seed (same seed, same data)', String(DEFAULT_DEMO_SIZE.seed))
    .option('--reuse', 'if the database already holds data, keep it and just print the summary')
    .action(async (opts: { contacts: string; accounts: string; interactions: string; seed: string; reuse?: boolean }, cmd: Command) =>
      withEngine(cmd, async (engine) => {
        if (await holdsData(engine)) {
          if (opts.reuse) {
            await summary(engine);
            return;
          }
          throw new SegmataError('conflict', 'the database already holds contacts; use another --db for the demo (or --reuse to keep it)');
        }
        const bar = progressBar('demo');
        try {
          await loadDemo(
            engine,
            { contacts: positiveInt('contacts', opts.contacts), accounts: positiveInt('accounts', opts.accounts), interactions: positiveInt('interactions', opts.interactions), seed: positiveInt('seed', opts.seed) },
            (phase, percent) => bar.update(phase, percent),
          );
        } finally {
          bar.stop();
        }
        await summary(engine);
      }),
    );
}
