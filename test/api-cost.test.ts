// Issue 19, "Cost: no request can stall the others": deadlines that interrupt DuckDB, per-key
// admission of expensive reads, failed sign-ins limited per address, and evaluation failures
// answered as 4xx/503 problems, never a 500 with the database's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { Admission } from '../src/api/admission.js';
import { evaluationError, parseDuration } from '../src/api/evaluation.js';
import { HttpProblem, toProblem } from '../src/api/problem.js';
import { isSegmataError, SegmataError } from '../src/errors.js';
import { storeError } from '../src/store/duckdb/errors.js';
import { startServer, type TestServer } from './helpers/api.js';

/** Enough contacts that an estimate takes many milliseconds: a 1 ms deadline always passes first. */
const MANY = 200_000;

const SLOW = {
  name: 'Slow draft',
  type: 'dynamic',
  query: {
    blocks: [
      { kind: 'profile', where: { any: [{ attr: 'first_name', op: 'contains', value: 'zz' }, { attr: 'email', op: 'ends_with', value: '.org' }, { attr: 'city', op: 'starts_with', value: 'Q' }] } },
      { relation: 'or', kind: 'profile', where: { attr: 'score', op: 'gte', value: 99 } },
    ],
  },
};

/** A problem+json answer: the status, the type's last word, a reason, nothing of a stack. */
function expectProblem(res: { status: number; body: any; headers: Headers; text: string }, status: number, kind: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(`https://segmata.dev/problems/${kind}`);
  expect(res.body.detail).toEqual(expect.any(String));
  expect(res.text).not.toMatch(/\n\s+at |duckdb|SELECT /i);
}

/** Leftovers an interrupted read must not leave on a read connection: temporary tables (reads there never open a transaction). */
async function leftovers(s: TestServer): Promise<unknown[]> {
  const reads = s.engine.store.reader();
  // Several reads, so each read connection of the pool answers at least once.
  const rows = await Promise.all(
    Array.from({ length: 4 }, () => reads.all("SELECT count(*) AS temp FROM duckdb_tables() WHERE temporary")),
  );
  return rows.flat().filter((r) => Number(r.temp) !== 0);
}

describe('deadlines: DuckDB interrupts an evaluation past its deadline, and nothing is left behind', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.engine.store.run(
      `INSERT INTO contacts (id, first_name, last_name, email, city, score)
       SELECT 'h' || i, 'First' || i, 'Last' || i, 'p' || i || '@example.com', 'City ' || (i % 500), i % 100 FROM range(${MANY}) AS t(i)`,
    );
    const draft = await s.call('POST', '/segments', { role: 'editor', body: { id: 'slow', ...SLOW } });
    expect(draft.status).toBe(201);
  });
  afterAll(async () => s?.close());

  it('a read whose signal aborts is interrupted mid-statement, fails with the signal\'s reason, and the connection is reused', async () => {
    const reason = new SegmataError('timeout', 'stopped by the test');
    const controller = new AbortController();
    const reads = s.engine.store.reader({ signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    // ~10^10 pairs: minutes of work unless DuckDB stops it (the test's own 5 s limit would fail first).
    const heavy = reads.all('SELECT count(*) AS n FROM range(100000) AS a, range(100000) AS b WHERE a.range + b.range = 7');
    await expect(heavy).rejects.toBe(reason);
    // The pool's connections answer as before; nothing was left open.
    const [row] = await s.engine.store.reader().all<{ x: number }>('SELECT 42 AS x');
    expect(row!.x).toBe(42);
    expect(await leftovers(s)).toEqual([]);
  });

  it('a read queued behind a busy connection leaves the queue when its signal aborts', async () => {
    const blockers = Array.from({ length: 2 }, () => new AbortController());
    // Two long statements hold both read connections.
    const busy = blockers.map((c) => s.engine.store.reader({ signal: c.signal }).all('SELECT count(*) FROM range(100000) AS a, range(100000) AS b WHERE a.range + b.range = 7').catch((e: unknown) => e));
    const waiter = new AbortController();
    const queued = s.engine.store.reader({ signal: waiter.signal }).all('SELECT 1 AS one');
    waiter.abort(new SegmataError('timeout', 'gave up waiting'));
    await expect(queued).rejects.toMatchObject({ code: 'timeout', message: 'gave up waiting' });
    for (const c of blockers) c.abort(new SegmataError('timeout', 'done'));
    for (const r of await Promise.all(busy)) expect(isSegmataError(r) && r.code).toBe('timeout');
    expect(await leftovers(s)).toEqual([]);
  });

  it('an estimate, a draft\'s members and its export past the deadline get 503 problem+json with Retry-After; the server goes on', async () => {
    const evaluations = s.context.evaluations;
    const before = evaluations.timeoutMs;
    // The deadline is the server's setting; 1 ms here (every estimate of 200,000 contacts takes longer).
    evaluations.timeoutMs = 1;
    try {
      const estimate = await s.call('POST', '/segments/estimate', { role: 'viewer', body: SLOW });
      expectProblem(estimate, 503, 'timeout');
      expect(estimate.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(estimate.body.detail).toMatch(/took longer than this server allows \(1 ms\)/);
      expectProblem(await s.call('GET', '/segments/slow/members?limit=10', { role: 'viewer' }), 503, 'timeout');
      // The export is refused before its first byte: a problem, not a 200 cut short.
      expectProblem(await s.call('GET', '/segments/slow/members.csv', { role: 'viewer' }), 503, 'timeout');
    } finally {
      evaluations.timeoutMs = before;
    }
    // Afterwards, with the deadline back: evaluations, writes and reads all work, nothing was left behind.
    const estimate = await s.call('POST', '/segments/estimate', { role: 'viewer', body: SLOW });
    expect(estimate.status).toBe(200);
    expect(estimate.body.total).toBeGreaterThan(0);
    const csv = await s.call('GET', '/segments/slow/members.csv', { role: 'viewer' });
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n').length - 1).toBe(estimate.body.total);
    const write = await s.call('POST', '/interactions', { role: 'editor', body: [{ contact_id: 'c1', type: 'email_open', occurred_at: '2026-05-31T10:00:00Z' }] });
    expect(write.status).toBe(200);
    const explain = await s.call('GET', '/segments/slow/explain/h42', { role: 'viewer' });
    expect(explain.status).toBe(200);
    expect(await leftovers(s)).toEqual([]);
    expect(evaluations.admission.load(s.keys.viewer)).toEqual({ running: 0, waiting: 0 });
  });

  it('an estimate of a 10,000-value list answers from the read connections', async () => {
    const values = Array.from({ length: 10_000 }, (_, i) => `City ${i}`);
    const res = await s.call('POST', '/segments/estimate', { role: 'viewer', body: { name: 'Cities', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'city', op: 'in', value: values } }] } } });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(MANY);
  });
});

describe('admission: expensive reads per key', () => {
  /** A read that runs until the test lets it end. */
  function held(): { run: () => Promise<string>; end: () => void; started: Promise<void> } {
    let end!: () => void;
    let started!: () => void;
    const ended = new Promise<void>((r) => (end = r));
    const began = new Promise<void>((r) => (started = r));
    return { run: async () => (started(), await ended, 'done'), end, started: began };
  }

  it('runs two at once per key, queues the next in order, refuses beyond the queue with 429, and lets a waiter leave', async () => {
    const admission = new Admission({ perKey: 2, queuePerKey: 2, total: 10 });
    const signal = new AbortController().signal;
    const [a, b, c, d] = [held(), held(), held(), held()];
    const order: string[] = [];
    const pa = admission.run('k', signal, a.run);
    const pb = admission.run('k', signal, b.run);
    await Promise.all([a.started, b.started]);
    const leaving = new AbortController();
    const pc = admission.run('k', leaving.signal, async () => (order.push('c'), c.run()));
    const pd = admission.run('k', signal, async () => (order.push('d'), d.run()));
    expect(admission.load('k')).toEqual({ running: 2, waiting: 2 });
    // A fifth is refused at once: a client told to slow down, not queued without end.
    const refused = await admission.run('k', signal, async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpProblem);
    expect((refused as HttpProblem).problem).toMatchObject({ status: 429, type: 'https://segmata.dev/problems/too-many-evaluations' });
    // Another key is not held up by this one's.
    expect(await admission.run('other', signal, async () => 'other ran')).toBe('other ran');
    // A waiter whose deadline passes leaves the queue with its reason.
    const reason = new SegmataError('timeout', 'deadline');
    leaving.abort(reason);
    await expect(pc).rejects.toBe(reason);
    expect(admission.load('k')).toEqual({ running: 2, waiting: 1 });
    a.end();
    await d.started;
    expect(order).toEqual(['d']);
    b.end();
    d.end();
    expect(await Promise.all([pa, pb, pd])).toEqual(['done', 'done', 'done']);
    expect(admission.load('k')).toEqual({ running: 0, waiting: 0 });
  });

  it('lets at most `total` evaluate over all keys; a streaming export gives that place back but keeps its key\'s', async () => {
    const admission = new Admission({ perKey: 2, queuePerKey: 4, total: 1 });
    const signal = new AbortController().signal;
    const first = await admission.admit('a', signal);
    let secondStarted = false;
    const second = admission.admit('b', signal).then((t) => ((secondStarted = true), t));
    await new Promise((r) => setTimeout(r, 10));
    expect(secondStarted).toBe(false);
    expect(admission.loadAll()).toEqual({ running: 1, waiting: 1 });
    first.streaming();
    const ticket = await second;
    expect(admission.load('a')).toEqual({ running: 1, waiting: 0 });
    first.release();
    first.release(); // once only
    ticket.release();
    expect(admission.loadAll()).toEqual({ running: 0, waiting: 0 });
    expect(admission.load('a')).toEqual({ running: 0, waiting: 0 });
  });

  it('starts an admitted read only once the writes under way are done', async () => {
    let writesDone!: () => void;
    const writes = new Promise<void>((r) => (writesDone = r));
    const admission = new Admission({ perKey: 2, queuePerKey: 4, total: 1 }, () => writes);
    let started = false;
    const read = admission.run('k', new AbortController().signal, async () => (started = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toBe(false);
    writesDone();
    expect(await read).toBe(true);
    expect(admission.loadAll()).toEqual({ running: 0, waiting: 0 });
  });

  it('a failing read gives its place back', async () => {
    const admission = new Admission({ perKey: 1, queuePerKey: 0, total: 1 });
    const signal = new AbortController().signal;
    await expect(admission.run('k', signal, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await admission.run('k', signal, async () => 'again')).toBe('again');
  });
});

describe('failed sign-ins are limited per client address', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ server: { authFailuresPerMinute: 3 } });
  });
  afterAll(async () => s?.close());

  it('answers 429 problem+json with Retry-After after 3 failures a minute; requests with a key in use are not limited', async () => {
    // Successes are not counted: many of them change nothing.
    for (let i = 0; i < 10; i++) expect((await s.call('GET', '/me', { role: 'editor' })).status).toBe(200);
    // No key at all is not an attempt at one: not counted.
    for (let i = 0; i < 5; i++) expect((await s.call('GET', '/me', { role: 'none' })).status).toBe(401);
    const wrong = { role: 'none' as const, headers: { authorization: 'Bearer sgm_wrong_key_0000000000000000' } };
    for (let i = 0; i < 3; i++) expectProblem(await s.call('GET', '/me', wrong), 401, 'unauthorized');
    const limited = await s.call('GET', '/me', wrong);
    expectProblem(limited, 429, 'too-many-failed-sign-ins');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A malformed header counts as a failure too.
    expectProblem(await s.call('GET', '/me', { role: 'none', headers: { authorization: 'Basic abc' } }), 429, 'too-many-failed-sign-ins');
    // The key in use from this address still works...
    expect((await s.call('GET', '/me', { role: 'editor' })).status).toBe(200);
    // ...but no new key is looked up for it until its minute is over.
    expectProblem(await s.call('GET', '/me', { role: 'viewer' }), 429, 'too-many-failed-sign-ins');
  });
});

describe('failures while evaluating are 4xx or 503 problems with a reason, never a 500 with the database\'s words', () => {
  const logged: unknown[] = [];
  const request = { url: '/api/v1/segments/estimate', log: { warn: (o: unknown) => logged.push(o), error: (o: unknown) => logged.push(o) } } as unknown as FastifyRequest;

  it('words DuckDB\'s failures: resource trouble is unavailable, an interrupt too', () => {
    expect(storeError(new Error('Out of Memory Error: could not allocate block of size 256 KiB'))).toMatchObject({ code: 'unavailable' });
    expect(storeError(new Error('INTERRUPT Error: Interrupted!'))).toMatchObject({ code: 'unavailable' });
    expect(storeError(new Error('Constraint Error: duplicate key'))).toMatchObject({ code: 'store', message: 'database error: Constraint Error: duplicate key' });
  });

  it('an evaluation\'s database failure is the definition\'s (422) or the database\'s (503), a JS range error the definition\'s, a bug stays a bug', () => {
    const conversion = evaluationError(new SegmataError('store', 'database error: Conversion Error: Type DOUBLE with value 1e300 can\'t be cast\nLINE 1: SELECT secret'), request);
    expect(conversion).toMatchObject({ code: 'evaluation_failed', message: 'the definition could not be evaluated: Conversion Error: Type DOUBLE with value 1e300 can\'t be cast' });
    expect(evaluationError(new SegmataError('store', 'database error: IO Error: No space left on device'), request)).toMatchObject({ code: 'unavailable' });
    expect(evaluationError(new RangeError('Maximum call stack size exceeded'), request)).toMatchObject({ code: 'evaluation_failed' });
    const bug = new TypeError('x is undefined');
    expect(evaluationError(bug, request)).toBe(bug);
    const notFound = new SegmataError('not_found', 'segment "x" does not exist');
    expect(evaluationError(notFound, request)).toBe(notFound);
    // The failures the definition or the database caused are logged (with the request's id, by its logger).
    expect(logged.length).toBe(3);
  });

  it('renders timeout and unavailable as 503, and a store failure or a bug as a 500 that shows nothing of it', () => {
    expect(toProblem(new SegmataError('timeout', 'took too long'), request)).toMatchObject({ status: 503, type: 'https://segmata.dev/problems/timeout', detail: 'took too long' });
    expect(toProblem(new SegmataError('unavailable', 'out of memory'), request)).toMatchObject({ status: 503, type: 'https://segmata.dev/problems/unavailable' });
    for (const e of [new SegmataError('store', 'database error: Catalog Error: Table with name secret_table does not exist'), new TypeError('cannot read x of undefined')]) {
      const p = toProblem(e, request);
      expect(p.status).toBe(500);
      expect(JSON.stringify(p)).not.toMatch(/secret_table|undefined|Catalog/);
    }
  });
});

describe('--query-timeout and SEGMATA_QUERY_TIMEOUT', () => {
  it('take 10s, 1500ms, 2m or milliseconds, and refuse anything else with the reason', () => {
    expect(parseDuration('10s', 'x')).toBe(10_000);
    expect(parseDuration('1500ms', 'x')).toBe(1500);
    expect(parseDuration('2m', 'x')).toBe(120_000);
    expect(parseDuration('250', 'x')).toBe(250);
    for (const bad of ['', 'soon', '0', '-1s', '2h', '1e3']) expect(() => parseDuration(bad, '--query-timeout')).toThrow(/--query-timeout: expected a duration/);
  });
});
