// The load generator of `bench:api`, run in a worker thread: the clients' HTTP and JSON work
// does not share the server's event loop (as clients on other machines would not).
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export type ClientJob =
  | { kind: 'ingest'; url: string; auth: string; payloads: string[]; clients: number; expect: number }
  | { kind: 'pages'; urls: string[][]; auth: string };

export interface ClientResult {
  ms: number[];
  seconds: number;
  requests: number;
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

const job = workerData as ClientJob;
parentPort!.postMessage(await (job.kind === 'ingest' ? ingest(job) : pages(job)));
