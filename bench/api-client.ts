// The load generator of `bench:api`, run in a worker thread: the clients' HTTP and JSON work
// does not share the server's event loop (as clients on other machines would not).
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

async function pages(job: Extract<ClientJob, { kind: 'pages' }>): Promise<ClientResult> {
  const ms: number[] = [];
  const started = performance.now();
  await Promise.all(
    job.urls.map(async (urls) => {
      for (const url of urls) {
        const t = performance.now();
        const res = await fetch(url, { headers: { authorization: job.auth } });
        const page = (await res.json()) as { items: unknown[] };
        if (res.status !== 200 || page.items.length === 0) throw new Error(`members answered ${res.status}`);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, seconds: (performance.now() - started) / 1000, requests: ms.length };
}

const job = workerData as ClientJob;
parentPort!.postMessage(await (job.kind === 'ingest' ? ingest(job) : pages(job)));
