// `npm run bench`: the performance figures of issue 2, printed and written to bench/report.md.
// Scale with BENCH_CONTACTS / BENCH_ACCOUNTS / BENCH_INTERACTIONS (defaults: 1M / 100k / 10M).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSegment } from '../src/compiler/compile.js';
import { fixedClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import { compileContext } from '../src/engine/segments/service.js';
import { projectRoot } from './root.js';

const NOW = '2026-06-01T00:00:00Z';
const SEED = 2026;
const contacts = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const interactions = Number(process.env.BENCH_INTERACTIONS ?? 10_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 15);

const root = projectRoot();
const dataDir = join(root, 'bench', 'data', `${contacts}-${accounts}-${interactions}-${SEED}`);
const dbPath = join(root, 'bench', 'data', 'bench.duckdb');
const lines: string[] = [];
const log = (s: string): void => {
  console.log(s);
  lines.push(s);
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;

// 1. Data: generated once per size and seed, cached under bench/data (git-ignored).
if (!existsSync(join(dataDir, 'interactions.csv'))) {
  mkdirSync(dataDir, { recursive: true });
  console.log(`generating ${contacts} contacts, ${accounts} accounts, ${interactions} interactions…`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'generate.ts'), dataDir, String(contacts), String(accounts), String(interactions), String(SEED), NOW], { encoding: 'utf8' });
  console.log(`generated in ${JSON.parse(out.trim().split('\n').pop()!).seconds.toFixed(1)} s`);
}
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });

log(`# Segmata benchmark — ${new Date().toISOString()}`);
log('');
log(`machine: ${process.platform} ${process.arch}, node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
log(`data: ${contacts} contacts, ${accounts} accounts, ${interactions} interactions (seed ${SEED}, now ${NOW})`);
log('');

const engine = await Engine.open({ db: dbPath, clock: fixedClock(NOW) });

// 2. Import (the engine's own CSV reader, validation and merge).
log('## Import (CSV)');
for (const kind of ['accounts', 'contacts', 'interactions'] as const) {
  const file = join(dataDir, `${kind}.csv`);
  const started = performance.now();
  const r = await engine.importFile(kind, file);
  const s = (performance.now() - started) / 1000;
  log(`- ${kind}: ${r.rows} rows in ${s.toFixed(2)} s (${Math.round(r.rows / s).toLocaleString('en-US')} rows/s)`);
}
log('');

// 3. The segment, through the engine (compiled SQL) and hand-written SQL.
const definition = {
  id: 'bench-segment',
  name: 'Benchmark segment',
  type: 'dynamic',
  query: {
    blocks: [
      {
        kind: 'profile',
        where: {
          any: [
            { all: [{ attr: 'state', op: 'eq', value: 'AZ' }, { attr: 'score', op: 'gte', value: 50 }, { attr: 'email_consent', op: 'eq', value: true }] },
            { all: [{ attr: 'account.industry', op: 'eq', value: 'Software' }, { attr: 'account.employees', op: 'gt', value: 500 }] },
          ],
        },
      },
      { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } }, count: { op: 'gte', value: 1 } },
      { relation: 'but_not', kind: 'behavioral', interaction: 'form_submit' },
    ],
  },
};
await engine.segments.create(definition);
const all = await engine.segments.list();
const compiled = compileSegment(definition.query as never, compileContext({ store: engine.store, registry: () => engine.registry, clock: engine.clock }, all, new Date(NOW)));
const engineSql = `SELECT count(*) AS n FROM (${compiled.sql}) AS q`;
const nowLiteral = `TIMESTAMPTZ '${NOW}'`;
const handSql = `SELECT count(*) AS n FROM (
  SELECT c.id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
   WHERE (c.state = 'AZ' AND c.score >= 50 AND c.email_consent) OR (a.industry = 'Software' AND a.employees > 500)
  INTERSECT
  SELECT contact_id FROM interactions
   WHERE type = 'email_open' AND occurred_at > ${nowLiteral} - INTERVAL 30 DAY AND occurred_at <= ${nowLiteral}
  EXCEPT
  SELECT contact_id FROM interactions WHERE type = 'form_submit' AND occurred_at <= ${nowLiteral}) AS q`;

type Params = (string | number | boolean | null)[];
async function once(sql: string, params: Params): Promise<{ ms: number; n: number }> {
  const started = performance.now();
  const rows = await engine.store.all<{ n: number }>(sql, params);
  return { ms: performance.now() - started, n: rows[0]!.n };
}

// Alternate the two queries so neither benefits from running second; two warm-up rounds.
const engineRun = { ms: [] as number[], n: 0 };
const handRun = { ms: [] as number[], n: 0 };
for (let i = 0; i < runs + 2; i++) {
  const e = await once(engineSql, compiled.params);
  const h = await once(handSql, []);
  engineRun.n = e.n;
  handRun.n = h.n;
  if (i >= 2) {
    engineRun.ms.push(e.ms);
    handRun.ms.push(h.ms);
  }
}
if (engineRun.n !== handRun.n) throw new Error(`engine (${engineRun.n}) and hand-written SQL (${handRun.n}) disagree`);
const goLiveStarted = performance.now();
const live = await engine.segments.goLive('bench-segment');
const goLiveMs = performance.now() - goLiveStarted;
const refreshStarted = performance.now();
await engine.segments.refresh('bench-segment');
const refreshMs = performance.now() - refreshStarted;

log('## Segment evaluation');
log('((state = AZ and score ≥ 50 and email_consent) or (account.industry = Software and account.employees > 500)) and also (≥ 1 email_open in the last 30 days) but not (any form_submit)');
log('');
log(`- members: ${engineRun.n}`);
log(`- engine (compiled SQL) median of ${runs}: ${median(engineRun.ms).toFixed(1)} ms (min ${Math.min(...engineRun.ms).toFixed(1)}, max ${Math.max(...engineRun.ms).toFixed(1)})`);
log(`- hand-written SQL median of ${runs}: ${median(handRun.ms).toFixed(1)} ms (min ${Math.min(...handRun.ms).toFixed(1)}, max ${Math.max(...handRun.ms).toFixed(1)})`);
log(`- ratio engine / hand-written: ${(median(engineRun.ms) / median(handRun.ms)).toFixed(2)}×`);
log(`- go-live (evaluate + persist ${live.members} memberships + change log): ${goLiveMs.toFixed(0)} ms`);
log(`- refresh of the live segment (evaluate + diff, no changes): ${refreshMs.toFixed(0)} ms`);
log('');
log('## Memory');
log(`- peak RSS of this process (import + evaluation): ${mb(process.resourceUsage().maxRSS)}`);

await engine.close();
const report = join(root, 'bench', 'report.md');
writeFileSync(report, `${lines.join('\n')}\n`);
console.log(`\nreport written to ${report}`);
