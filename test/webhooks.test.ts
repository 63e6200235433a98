import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signature } from '../src/engine/webhooks/dispatcher.js';
import { startServer } from './helpers/api.js';
import { TEST_NOW } from './helpers/engine.js';

const AZ = { id: 'az', name: 'Arizona', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } };

/** A local receiver that answers with the next status of `script` (then 200), keeping every request. */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  private server!: Server;
  url = '';
  constructor(private readonly script: number[] = []) {}

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body });
        res.statusCode = this.script.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The changes acknowledged (answered 2xx), in order. */
  delivered(okFrom: number): unknown[] {
    return this.requests.slice(okFrom).flatMap((r) => (JSON.parse(r.body) as { changes: unknown[] }).changes);
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('webhooks', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close();
  });

  it('delivers changes signed with the secret, retrying with backoff after the receiver fails, and logs every attempt', async () => {
    const receiver = new Receiver([500, 503]);
    await receiver.start();
    open.push({ close: () => receiver.stop() });
    const s = await startServer();
    open.push(s);
    await s.call('POST', '/segments', { role: 'editor', body: AZ });
    const hook = await s.call('POST', '/webhooks', { body: { segmentId: 'az', url: receiver.url } });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await s.call('GET', '/webhooks')).body)).not.toContain(hook.body.secret);

    await s.call('POST', '/segments/az/go-live', { role: 'editor' });
    await until('three attempts', async () => (receiver.requests.length >= 3 ? true : undefined));

    // The same batch each time, the last acknowledged.
    const bodies = receiver.requests.map((r) => r.body);
    expect(new Set(bodies).size).toBe(1);
    const payload = JSON.parse(bodies[0]!);
    expect(payload).toMatchObject({ webhook: hook.body.id, segment: 'az' });
    expect(payload.changes.map((c: any) => [c.contactId, c.change, c.cause])).toEqual([
      ['c1', 'entered', 'go_live'],
      ['c2', 'entered', 'go_live'],
    ]);
    expect(payload.changes[0].idempotencyKey).toBe(`${hook.body.id}:${payload.changes[0].seq}`);
    for (const r of receiver.requests) {
      const sig = String(r.headers['segmata-signature']);
      const t = Number(/t=(\d+)/.exec(sig)![1]);
      expect(sig).toBe(signature(hook.body.secret, r.body, t));
      expect(r.headers['idempotency-key']).toBe(payload.deliveryId);
    }
    const deliveries = await until('the delivery logged', async () => {
      const d = (await s.call('GET', `/webhooks/${hook.body.id}/deliveries`)).body.items;
      return d.length >= 3 ? d : undefined;
    });
    expect(deliveries.map((d: any) => [d.attempt, d.statusCode, d.delivered])).toEqual([
      [3, 200, true],
      [2, 503, false],
      [1, 500, false],
    ]);
    const state = (await s.call('GET', `/webhooks/${hook.body.id}`)).body;
    expect(state).toMatchObject({ attempts: 0, lastError: null, deliveredSeq: payload.changes.at(-1).seq });

    // A later change goes out next, once.
    await s.call('PUT', '/contacts/c3', { role: 'editor', body: { state: 'AZ' } });
    await until('the next delivery', async () => (receiver.requests.length >= 4 ? true : undefined));
    expect(JSON.parse(receiver.requests[3]!.body).changes.map((c: any) => c.contactId)).toEqual(['c3']);
  });

  it('keeps undelivered changes across a restart and delivers them when the receiver is back', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const port = receiver.port;
    await receiver.stop(); // down from the start: every attempt fails
    const first = await startServer({ now: TEST_NOW });
    open.push(first);
    let s = first;
    const db = s.db;
    await s.call('POST', '/segments', { role: 'editor', body: AZ });
    const hook = (await s.call('POST', '/webhooks', { body: { segmentId: 'az', url: receiver.url } })).body;
    await s.call('POST', '/segments/az/go-live', { role: 'editor' });
    await until('a failed attempt', async () => ((await s.call('GET', `/webhooks/${hook.id}`)).body.attempts >= 1 ? true : undefined));
    await s.stop();

    const back = new Receiver();
    await back.start(port);
    open.push({ close: () => back.stop() });
    s = await startServer({ db });
    open.push(s);
    await until('the delivery after the restart', async () => (back.requests.length >= 1 ? true : undefined));
    expect(JSON.parse(back.requests[0]!.body).changes.map((c: any) => c.contactId)).toEqual(['c1', 'c2']);
  });

  it('refuses a URL that is not http(s) and a segment that does not exist', async () => {
    const s = await startServer({ webhooks: false });
    open.push(s);
    await s.call('POST', '/segments', { role: 'editor', body: AZ });
    const bad = await s.call('POST', '/webhooks', { body: { segmentId: 'az', url: 'ftp://example.com/x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.url');
    expect((await s.call('POST', '/webhooks', { body: { segmentId: 'nope', url: 'http://127.0.0.1:1/x' } })).status).toBe(404);
    expect((await s.call('GET', '/webhooks')).body.items).toEqual([]);
  });

  describe('destinations that are not public', () => {
    const refused = [
      'http://127.0.0.1:8080/x',
      'http://127.1/x', // 127.0.0.1 in short form
      'http://2130706433/x', // 127.0.0.1 as a number
      'http://localhost:3000/x', // a name, refused by what it resolves to
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://0.0.0.0/x',
      'http://[::]/x',
      'http://10.0.0.5/x',
      'http://172.16.3.4/x',
      'https://192.168.1.10/x',
      'http://169.254.169.254/latest/meta-data/', // cloud metadata
      'http://[fe80::1]/x',
      'http://[fd00::1]/x',
      'http://100.64.0.1/x',
      'http://224.0.0.1/x',
    ];

    it('are refused at creation with the field at fault, and nothing is stored', async () => {
      const s = await startServer({ webhooks: false, allowPrivateWebhooks: false });
      open.push(s);
      await s.call('POST', '/segments', { role: 'editor', body: AZ });
      for (const url of refused) {
        const r = await s.call('POST', '/webhooks', { body: { segmentId: 'az', url } });
        expect(r.status, url).toBe(400);
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(r.body.errors[0].path, url).toBe('body.url');
        expect(r.body.detail, url).toMatch(/not a public address.*--allow-private-webhooks/);
      }
      expect((await s.call('GET', '/webhooks')).body.items).toEqual([]);
    });

    it('are refused at delivery too (a name that resolves to a private address later: DNS rebinding), and retried', async () => {
      const receiver = new Receiver();
      await receiver.start();
      open.push({ close: () => receiver.stop() });
      // Created while allowed, then delivered by a server that does not allow it: the check at
      // delivery is what stands between a name that changed its address and the local network.
      const first = await startServer({ webhooks: false, allowPrivateWebhooks: true });
      open.push(first);
      await first.call('POST', '/segments', { role: 'editor', body: AZ });
      const viaName = (await first.call('POST', '/webhooks', { body: { segmentId: 'az', url: receiver.url.replace('127.0.0.1', 'localhost') } })).body;
      const viaAddress = (await first.call('POST', '/webhooks', { body: { segmentId: 'az', url: receiver.url } })).body;
      await first.stop();

      const s = await startServer({ db: first.db, allowPrivateWebhooks: false });
      open.push(s);
      await s.call('POST', '/segments/az/go-live', { role: 'editor' });
      for (const hook of [viaName, viaAddress]) {
        const state = await until('a refused attempt', async () => {
          const w = (await s.call('GET', `/webhooks/${hook.id}`)).body;
          return w.attempts >= 1 ? w : undefined;
        });
        expect(state.lastError).toMatch(/loopback range, not a public address/);
        expect(state.deliveredSeq).toBe(0);
      }
      expect(receiver.requests).toEqual([]);
    });

    it('are allowed when the server is started to allow them', async () => {
      const receiver = new Receiver();
      await receiver.start();
      open.push({ close: () => receiver.stop() });
      const s = await startServer({ allowPrivateWebhooks: true });
      open.push(s);
      await s.call('POST', '/segments', { role: 'editor', body: AZ });
      const viaName = receiver.url.replace('127.0.0.1', 'localhost');
      expect((await s.call('POST', '/webhooks', { body: { segmentId: 'az', url: viaName } })).status).toBe(201);
      await s.call('POST', '/segments/az/go-live', { role: 'editor' });
      await until('a delivery', async () => (receiver.requests.length >= 1 ? true : undefined));
    });
  });
});
