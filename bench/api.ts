// `npm run bench:api`: issue 4's figures — HTTP batch ingest, members pages under concurrent
// readers, and a 100k-member CSV export — and issue 19's: an editor's 1-interaction writes
// while a viewer runs four worst-case estimates at once, against a server on the 1M-contact
// data set that `npm run bench` builds. Prints the figures and writes bench/report-api.md.
// BENCH_API_SOURCE=name reads bench/data/name.duckdb instead (live-base: see below);
// BENCH_API_ONLY=stall runs the last step alone.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildServer } from '../src/api/server.js';
import { encodeCursor } from '../src/api/cursor.js';
import { createKey } from '../src/engine/access/keys.js';
import { Engine } from '../src/engine/engine.js';
import { projectRoot } from './root.js';
import type { ClientJob, ClientResult, StallJob } from './api-client.js';

/** Run a load in the client worker (see api-client.ts) and wait for its figures. */
function inWorker(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./api-client.js', import.meta.url), { workerData: job });
    worker.once('message', (r: ClientResult) => resolve(r));
    worker.once('error', reject);
  });
}

const root = projectRoot();
// BENCH_API_SOURCE=live-base: the database with 100 live segments (ingest then also records their changes).
const sourceName = `${process.env.BENCH_API_SOURCE ?? 'bench'}.duckdb`;
const only = process.env.BENCH_API_ONLY;
const source = join(root, 'bench', 'data', sourceName);
const dbPath = join(root, 'bench', 'data', 'api.duckdb');
if (!existsSync(source)) throw new Error(`run \`npm run bench\` first: it builds bench/data/bench.duckdb${sourceName === 'live-base.duckdb' ? ' (then node dist/bench/live-base.js)' : ''}`);
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
copyFileSync(source, dbPath);

const lines: string[] = [];
const log = (s: string): void => {
  console.log(s);
  lines.push(s);
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const rssMb = (): number => Math.round(process.memoryUsage().rss / 1048576);

const START = Date.parse('2026-06-01T00:00:00Z');
const t0 = Date.now();
const clock = (): Date => new Date(START + (Date.now() - t0));
const engine = await Engine.open({ db: dbPath, clock, resident: true });
await engine.store.run('DELETE FROM live_dirty');
const key = (await createKey(engine.store, 'admin', 'bench', clock())).key;
const viewerKey = (await createKey(engine.store, 'viewer', 'bench viewer', clock())).key;
const editorKey = (await createKey(engine.store, 'editor', 'bench editor', clock())).key;
const { app } = await buildServer(engine, { logger: false });
const base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/v1`;
const auth = { authorization: `Bearer ${key}` };
const [counts] = await engine.store.all<{ c: number; i: number; s: number }>(
  "SELECT (SELECT count(*) FROM contacts) AS c, (SELECT count(*) FROM interactions) AS i, (SELECT count(*) FROM segments WHERE status = 'live') AS s",
);
log(`# Segmata API benchmark — ${new Date().toISOString()}`);
log(`data: ${counts!.c} contacts, ${counts!.i} interactions, ${counts!.s} live segments (${sourceName}); the clients run in a worker thread of the server's process, ${availableParallelism()} cores (load average at start ${loadavg()[0]!.toFixed(1)})`);
// The first request after start catches the live path up (loads the resident state); not timed.
await fetch(`${base}/health`);
await engine.live.processPending();

if (only !== 'stall') {
  // 1. Batch ingest over HTTP.
  const BATCH = Number(process.env.BENCH_API_BATCH ?? 25_000);
  const TOTAL = Number(process.env.BENCH_API_INGEST ?? 300_000);
  const CLIENTS = Number(process.env.BENCH_API_CLIENTS ?? 3);
  const TYPES = ['email_open', 'email_click', 'website_visit', 'form_submit', 'email_sent'];
  let seq = 0;
  const body = (n: number): string => {
    const now = clock().toISOString();
    const rows = Array.from({ length: n }, () => {
      seq++;
      return { id: `api-${seq}`, contact_id: `c${String(1 + Math.floor(Math.random() * counts!.c)).padStart(6, '0')}`, type: TYPES[seq % TYPES.length], occurred_at: now, campaign_id: `cmp-${seq % 40}` };
    });
    return JSON.stringify(rows);
  };
  log('');
  log(`## HTTP batch ingest (POST /api/v1/interactions, ${BATCH} per request, ${CLIENTS} clients)`);
  // The request bodies are made before the clock starts: the client's JSON is not the server's work.
  const payloads = Array.from({ length: Math.ceil(TOTAL / BATCH) }, () => body(BATCH));
  const sent = payloads.length * BATCH;
  const ingestRun = await inWorker({ kind: 'ingest', url: `${base}/interactions`, auth: auth.authorization, payloads, clients: CLIENTS, expect: BATCH });
  const requestMs = ingestRun.ms;
  const ingestSeconds = ingestRun.seconds;
  log(`- ${sent} interactions in ${ingestSeconds.toFixed(2)} s: **${Math.round(sent / ingestSeconds)} interactions/s** (each request answered once durably stored); request p50 ${percentile(requestMs, 50).toFixed(0)} ms, p99 ${percentile(requestMs, 99).toFixed(0)} ms`);

  // The ingest's housekeeping (the memberships table brought up to date, a checkpoint) ends
  // before the readers start: the pages are measured on their own, not against that backlog.
  await engine.live.sync();
  await engine.store.run('CHECKPOINT');

  // 2. Members pages under 20 concurrent readers, on the largest live segment (or one made for it).
  // A large segment (most contacts consent): pages of a dense membership, as marketers' lists are.
  let [largest] = await engine.store.all<{ id: string; n: number }>("SELECT id, member_count AS n FROM segments WHERE status = 'live' AND member_count >= 100000 ORDER BY member_count DESC LIMIT 1");
  if (!largest) {
    await engine.segments.create({ id: 'bench-consenting', name: 'Consenting contacts', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'email_consent', op: 'eq', value: true } }] } });
    await engine.segments.goLive('bench-consenting');
    largest = { id: 'bench-consenting', n: (await engine.segments.get('bench-consenting')).memberCount };
  }
  const READERS = 20;
  const PAGES = Number(process.env.BENCH_API_PAGES ?? 100);
  log('');
  log(`## Members pages (GET /api/v1/segments/${largest.id}/members?limit=100, ${largest.n} members), ${READERS} concurrent readers × ${PAGES} pages at random cursors`);
  // The first page after start loads the segment's member index and the contact directory: timed apart.
  const warmStart = performance.now();
  const warm = await fetch(`${base}/segments/${largest.id}/members?limit=100`, { headers: auth });
  if (warm.status !== 200) throw new Error(`members answered ${warm.status}`);
  await warm.json();
  const warmMs = performance.now() - warmStart;
  // That load leaves ~1 GB of heap behind it, whose garbage the next major GCs collect (pauses of
  // 20-70 ms): a start-up cost, so the readers start once it has settled, not in the middle of it.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const pageUrls = Array.from({ length: READERS }, () =>
    Array.from({ length: PAGES }, () => `${base}/segments/${largest!.id}/members?limit=100&cursor=${encodeCursor(`c${String(Math.floor(Math.random() * counts!.c)).padStart(6, '0')}`)}`),
  );
  const pagesRun = await inWorker({ kind: 'pages', urls: pageUrls, auth: auth.authorization });
  const pageMs = pagesRun.ms;
  const pagesSeconds = pagesRun.seconds;
  log(`- first page after start (loads the member index and the contact directory): ${warmMs.toFixed(0)} ms, RSS now ${rssMb()} MiB`);
  log(`- ${pageMs.length} pages in ${pagesSeconds.toFixed(1)} s (${Math.round(pageMs.length / pagesSeconds)} pages/s): p50 ${percentile(pageMs, 50).toFixed(1)} ms, **p99 ${percentile(pageMs, 99).toFixed(1)} ms**, max ${Math.max(...pageMs).toFixed(1)} ms`);

  // 3. CSV export of a 100k-member segment, streamed.
  await engine.store.run(
    `INSERT INTO segments (id, name, type, status, version, created_at, updated_at) SELECT 'bench-export', 'Export test', 'static', 'draft', 1, now(), now()`,
  );
  await engine.store.run(`INSERT INTO segment_versions SELECT 'bench-export', 1, '{"id":"bench-export","name":"Export test","type":"static"}', now()`);
  await engine.store.run(`INSERT INTO memberships SELECT 'bench-export', id, now() FROM contacts ORDER BY id LIMIT 100000`);
  await engine.store.run(`UPDATE segments SET member_count = 100000 WHERE id = 'bench-export'`);
  // The new segment changes the live plan: the live path takes it in (the resident state
  // re-prepares, ~1 s of CPU at 1M contacts) before the export is timed, not during it.
  await engine.live.processPending();
  log('');
  log('## CSV export of 100,000 members (GET …/members.csv), streamed');
  const rssBefore = rssMb();
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 20);
  const exportStart = performance.now();
  const res = await fetch(`${base}/segments/bench-export/members.csv`, { headers: auth });
  let bytes = 0;
  let rows = 0;
  let firstByte = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!firstByte) firstByte = performance.now() - exportStart;
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) rows++;
  }
  const exportMs = performance.now() - exportStart;
  clearInterval(sampler);
  log(`- ${rows - 1} rows, ${(bytes / 1048576).toFixed(1)} MiB in **${exportMs.toFixed(0)} ms** (first byte after ${firstByte.toFixed(0)} ms); RSS ${rssBefore} MiB before, peak ${peakRss} MiB during`);
}

// 4. Cost (issue 19): an editor's 1-interaction writes (POST /interactions, one every 100 ms)
// while a viewer's key keeps four worst-case estimates running at once. Estimates are admitted
// per key (2 at once, 4 waiting) and evaluate on the read connections, at most cores − 1 at a
// time, against the 10 s deadline; the writes must be acknowledged within 0.5 s.
const STALL_SECONDS = Number(process.env.BENCH_API_STALL_SECONDS ?? 20);
const TEXT = ['city', 'email', 'job_title', 'last_name'];
const values = (n: number, k: number): string[] => Array.from({ length: n }, (_, i) => `v${k}-${i}`);
const stallCases: { name: string; where: unknown }[] = [
  { name: 'none (a baseline: the writes alone)', where: undefined },
  // Short values, so that the body (~0.7 MB) is within the 1 MiB limit and reaches validation.
  { name: "the issue's: one 100,000-value `in` list on city (refused since: over the 10,000-value bound)", where: { attr: 'city', op: 'in', value: Array.from({ length: 100_000 }, (_, i) => String(i)) } },
  { name: 'nine 10,000-value `in` lists on text attributes (~1 MiB, the body limit)', where: { any: Array.from({ length: 9 }, (_, k) => ({ attr: TEXT[k % 4], op: 'in', value: values(10_000, k) })) } },
  { name: '998 `contains` conditions on text attributes (the 1,000-node bound)', where: { any: Array.from({ length: 998 }, (_, k) => ({ attr: TEXT[k % 4], op: 'contains', value: `x${k}` })) } },
];
log('');
log(`## Editor writes under four concurrent worst-case viewer estimates (${STALL_SECONDS} s each; POST /api/v1/interactions of 1 interaction every 100 ms)`);
log('');
log('| viewer estimates | writes | write ack p50 | p99 | max | estimates answered (by status) | estimate p50 |');
log('|---|---|---|---|---|---|---|');
const writeContacts = Array.from({ length: 100 }, (_, i) => `c${String(1 + ((i * 7919) % counts!.c)).padStart(6, '0')}`);
for (const c of stallCases) {
  const estimate = JSON.stringify({ name: 'Worst case', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: c.where ?? { attr: 'city', op: 'eq', value: 'x' } }] } });
  const stallJob: StallJob = {
    kind: 'stall',
    estimateUrl: `${base}/segments/estimate`,
    viewer: `Bearer ${viewerKey}`,
    estimate,
    estimators: c.where === undefined ? 0 : 4,
    writeUrl: `${base}/interactions`,
    editor: `Bearer ${editorKey}`,
    contacts: writeContacts,
    writeEveryMs: 100,
    seconds: STALL_SECONDS,
  };
  const r = await inWorker(stallJob);
  const statuses = Object.entries(r.estimateStatuses ?? {}).map(([k, v]) => `${v}× ${k}`).join(', ') || '–';
  const estimateP50 = r.estimateMs?.length ? `${percentile(r.estimateMs, 50).toFixed(0)} ms` : '–';
  log(`| ${c.name} | ${r.ms.length} | ${percentile(r.ms, 50).toFixed(0)} ms | **${percentile(r.ms, 99).toFixed(0)} ms** | ${Math.max(...r.ms).toFixed(0)} ms | ${statuses} | ${estimateP50} |`);
  // The live path catches up between cases.
  await engine.live.processPending();
}

await app.close();
await engine.close();
const reportSuffix = sourceName === 'bench.duckdb' ? '' : sourceName === 'live-base.duckdb' ? '-live' : `-${sourceName.replace(/\.duckdb$/, '')}`;
writeFileSync(join(root, 'bench', `report-api${reportSuffix}.md`), `${lines.join('\n')}\n`);
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
