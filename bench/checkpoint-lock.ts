// `npm run bench:checkpoint`: does a write wait for a CHECKPOINT running on another connection
// of the same DuckDB database? This bounds how current live segments can stay under load: a
// long-running process must checkpoint, and ingest cannot commit meanwhile if writes wait.
// Self-contained (a scratch database under bench/data); prints the figures, writes nothing else.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { projectRoot } from './root.js';

const dir = join(projectRoot(), 'bench', 'data');
mkdirSync(dir, { recursive: true });
const path = join(dir, 'checkpoint-lock.duckdb');
rmSync(path, { force: true });
rmSync(`${path}.wal`, { force: true });

const instance = await DuckDBInstance.create(path);
const writer = await instance.connect();
const checkpointer = await instance.connect();
await writer.run(`SET checkpoint_threshold = '10GB'`);
await writer.run(`CREATE TABLE big AS SELECT 'i' || i AS id, 'c' || (i % 1000000) AS contact_id, md5(CAST(i AS VARCHAR)) AS p FROM range(5000000) r(i)`);
await writer.run('CREATE TABLE other (seq BIGINT, x VARCHAR)');
await writer.run('CHECKPOINT');

const writes: Record<string, (c: DuckDBConnection) => Promise<void>> = {
  'read only (SELECT)': async (c) => void (await c.run('SELECT count(*) FROM other')),
  'INSERT into the table being checkpointed': async (c) => void (await c.run(`INSERT INTO big SELECT 'n' || i, 'c1', 'x' FROM range(2000) r(i)`)),
  'INSERT into another table': async (c) => void (await c.run(`INSERT INTO other SELECT i, 'v' FROM range(2000) r(i)`)),
  'appender into another table': async (c) => {
    const appender = await c.createAppender('other');
    for (let i = 0; i < 2000; i++) {
      appender.appendBigInt(BigInt(i));
      appender.appendVarchar('v');
      appender.endRow();
    }
    appender.closeSync();
  },
};

console.log(`DuckDB ${(await (await writer.runAndReadAll('SELECT version() AS v')).getRowObjectsJS())[0]!.v}`);
for (const [name, write] of Object.entries(writes)) {
  // Something to checkpoint: 300k rows appended in 100 small transactions (as a live stream does).
  for (let k = 0; k < 100; k++) await checkpointer.run(`INSERT INTO big SELECT 'm' || i, 'c' || i, md5(CAST(random() AS VARCHAR)) FROM range(3000) r(i)`);
  let done = false;
  const started = performance.now();
  const checkpoint = checkpointer.run('CHECKPOINT').then(() => {
    done = true;
    return performance.now() - started;
  });
  await new Promise((r) => setTimeout(r, 2));
  let slowest = 0;
  let committed = 0;
  while (!done) {
    const t = performance.now();
    await writer.run('BEGIN');
    await write(writer);
    await writer.run('COMMIT');
    slowest = Math.max(slowest, performance.now() - t);
    committed++;
  }
  console.log(`- ${name}: checkpoint ${(await checkpoint).toFixed(0)} ms; ${committed} transactions committed during it, the slowest took ${slowest.toFixed(0)} ms`);
}
writer.closeSync();
checkpointer.closeSync();
instance.closeSync();
rmSync(path, { force: true });
rmSync(`${path}.wal`, { force: true });
