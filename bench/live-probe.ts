// `npm run bench:live-probe`: a quick look at the live path in a long-running process (the
// resident state) on the database `npm run bench:live` leaves behind with its 100 live
// segments: the one-time build, then ingest + processing per batch of 20 and of 2,000.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { Engine } from '../src/engine/engine.js';
const source = 'bench/data/live-base.duckdb';
if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm run bench\`, then \`npm run build && node dist/bench/live-base.js\``);
const db = 'bench/data/probe.duckdb';
rmSync(db, { force: true }); rmSync(db + '.wal', { force: true });
copyFileSync(source, db);
console.log('copied');
const START = Date.parse('2026-06-01T00:00:00Z');
const t0 = Date.now();
const engine = await Engine.open({ db, clock: () => new Date(START + Date.now() - t0), resident: true });
console.log('opened', Date.now() - t0);
// The bulk import queued every contact; that backlog is not what this probe measures.
await engine.store.run('DELETE FROM live_dirty');
let t = performance.now();
await engine.live.processPending();
console.log('first processPending (resident build)', (performance.now() - t).toFixed(0), Math.round(process.memoryUsage().rss / 1048576), 'MiB');
const TYPES = ['email_open', 'email_click', 'website_visit', 'form_submit', 'email_sent'];
let seq = 0;
for (const N of [20, 2000]) {
  const ing: number[] = [], proc: number[] = [];
  for (let r = 0; r < 30; r++) {
    const rows = Array.from({ length: N }, () => { seq++; return { id: `p-${seq}`, contact_id: `c${String(1 + Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, type: TYPES[seq % 5], occurred_at: new Date(START + Date.now() - t0).toISOString() }; });
    t = performance.now(); await engine.ingestInteractions(rows); ing.push(performance.now() - t);
    t = performance.now(); await engine.live.processPending(); proc.push(performance.now() - t);
  }
  const q = (x: number[], p: number) => [...x].sort((a, b) => a - b)[Math.floor(p * (x.length - 1))]!.toFixed(1);
  console.log(`batch ${N}: ingest p50 ${q(ing, 0.5)} ms, process p50 ${q(proc, 0.5)} p99 ${q(proc, 0.99)} ms`);
}
await engine.close();
