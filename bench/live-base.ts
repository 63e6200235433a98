// Builds bench/data/live-base.duckdb: the `npm run bench` database with the 100 live segments
// of the live benchmark taken live (once; the probe copies it).
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { Engine } from '../src/engine/engine.js';
import { liveBenchSegments } from './live-segments.js';
const base = 'bench/data/live-base.duckdb';
if (existsSync(base)) {
  console.log(`${base} exists: reused`);
  process.exit(0);
}
rmSync(base, { force: true }); rmSync(base + '.wal', { force: true });
copyFileSync('bench/data/bench.duckdb', base);
const START = Date.parse('2026-06-01T00:00:00Z');
const engine = await Engine.open({ db: base, clock: () => new Date(START) });
let t = performance.now();
for (const def of liveBenchSegments()) {
  const t1 = performance.now();
  await engine.segments.create(def);
  await engine.segments.goLive(def.id);
  console.log(def.id, (performance.now() - t1).toFixed(0));
}
console.log('golive', (performance.now() - t) / 1000);
await engine.store.run('CHECKPOINT');
await engine.close();
