// The load generator of `bench:api`, run in a worker thread: the clients' HTTP and JSON work
// does not share the server's event loop (as clients on other machines would not).
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export type ClientJob =
  | { kind: 'ingest'; url: string; auth: string; payloads: string[]; clients: number; expect: number }
  | { kind: 'pages'; urls: string[][]; auth: string }
  | StallJob;

/**
 * `estimators` clients POST `estimate` (a viewer's worst-case definition) back to back for
 * `seconds`, while one more POSTs a 1-interaction write every `writeEveryMs` and times its
 * acknowledgement.
 */
export interface StallJob {
  kind: 'stall';
  estimateUrl: string;
  viewer: string;
  estimate: string;
  estimators: number;
  writeUrl: string;
  editor: string;
  /** Contact ids to write interactions for (one per write, in turn). */
  contacts: string[];
  writeEveryMs: number;
  seconds: number;
}

export interface ClientResult {
  /** Request latencies (stall: the writes'). */
  ms: number[];
  seconds: number;
  requests: number;
  /** stall: the estimates' answers by status, and their latencies. */
  estimateStatuses?: Record<string, number>;
  estimateMs?: number[];
}

async function ingest(job: Extract<ClientJob, { kind: 'ingest' }>): Promise<ClientResult> {
  const ms: number[] = [];
  const payloads = [...job.payloads];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      for (let payload = payloads.pop(); payload; payload = payloads.pop()) {
        const t = performance.now();
        const res = await fetch(job.url, { method: 'POST', headers: { authorization: job.auth, 'content-type': 'application/json' }, body: payload });
        const answer = (await res.json()) as { inserted: number };
        if (res.status !== 200 || answer.inserted !== job.expect) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(answer)}`);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, seconds: (performance.now() - started) / 1000, requests: ms.length };
}

/** GET `url` on a kept-alive connection of `agent`: the status and the body's first bytes. */
function get(url: string, auth: string, agent: Agent): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: auth } }, (res) => {
      let head = '';
      res.on('data', (chunk: Buffer) => {
        if (head.length < 16) head += chunk.toString('latin1', 0, 16);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, head }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function pages(job: Extract<ClientJob, { kind: 'pages' }>): Promise<ClientResult> {
  const ms: number[] = [];
  // node:http with keep-alive, and the body checked rather than parsed: fetch and JSON.parse of
  // every 30-KB page cost the load generator more CPU than the server spends answering, on the
  // same two cores (clients on other machines would not take it from the server).
  const agent = new Agent({ keepAlive: true, maxSockets: job.urls.length });
  // Each reader opens its connection with one page first (not timed): the figures are of
  // readers at work, not of twenty TCP handshakes queued at once.
  await Promise.all(job.urls.map((urls) => get(urls[0]!, job.auth, agent)));
  const started = performance.now();
  await Promise.all(
    job.urls.map(async (urls) => {
      for (const url of urls) {
        const t = performance.now();
        const { status, head } = await get(url, job.auth, agent);
        if (status !== 200 || !head.startsWith('{"items":[{')) throw new Error(`members answered ${status}: ${head}`);
        ms.push(performance.now() - t);
      }
    }),
  );
  agent.destroy();
  return { ms, seconds: (performance.now() - started) / 1000, requests: ms.length };
}

/** POST `body` on a kept-alive connection of `agent`: the status and Retry-After. */
function post(url: string, auth: string, body: Buffer, agent: Agent): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function stall(job: StallJob): Promise<ClientResult> {
  const started = performance.now();
  const until = started + job.seconds * 1000;
  const statuses: Record<string, number> = {};
  const estimateMs: number[] = [];
  // node:http with the body encoded once: the load generator shares the server's two cores, and
  // fetch would encode and copy each ~1 MB body again.
  const agent = new Agent({ keepAlive: true, maxSockets: job.estimators + 1 });
  const estimate = Buffer.from(job.estimate);
  const estimators = Array.from({ length: job.estimators }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const res = await post(job.estimateUrl, job.viewer, estimate, agent);
      estimateMs.push(performance.now() - t);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      // A client told to wait does, as a well-behaved one would.
      if (res.status === 429 || res.status === 503) await new Promise((r) => setTimeout(r, 1000 * res.retryAfter));
    }
  });
  const ms: number[] = [];
  let n = 0;
  // The writes start once the estimates are under way.
  await new Promise((r) => setTimeout(r, 200));
  while (performance.now() < until) {
    const body = Buffer.from(JSON.stringify([{ id: `stall-${Date.now()}-${n}`, contact_id: job.contacts[n % job.contacts.length], type: 'email_open', occurred_at: new Date().toISOString() }]));
    n++;
    const t = performance.now();
    const res = await post(job.writeUrl, job.editor, body, agent);
    if (res.status !== 200) throw new Error(`a write answered ${res.status}`);
    ms.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, job.writeEveryMs));
  }
  await Promise.all(estimators);
  agent.destroy();
  return { ms, seconds: (performance.now() - started) / 1000, requests: ms.length, estimateStatuses: statuses, estimateMs };
}

const job = workerData as ClientJob;
parentPort!.postMessage(await (job.kind === 'ingest' ? ingest(job) : job.kind === 'pages' ? pages(job) : stall(job)));
