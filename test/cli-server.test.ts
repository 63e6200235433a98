import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/api.js';
import { tempDir, TEST_NOW } from './helpers/engine.js';
import { runCli, type CliResult } from './helpers/cli.js';

const segmata = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env });

/** Timings differ run to run; everything else must not. */
const steady = (s: string): string => s.replace(/\d+(\.\d+)? (ms|s)\b/g, 'N $2');

describe('segmata --server: the same commands and output as on a local database', () => {
  const { dir, cleanup } = tempDir('segmata-cli-server-');
  let server: TestServer;
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const local = (...args: string[]) => segmata(['--db', join(dir, 'local.duckdb'), ...args], { SEGMATA_NOW: TEST_NOW });
  const remote = (...args: string[]) => segmata(['--server', server.base, '--key', server.keys.admin, ...args], { SEGMATA_NOW: '' });

  beforeAll(async () => {
    server = await startServer({ seed: false });
    file('accounts.csv', 'id,name,industry,employees\nA1,Acme,Software,900\nA2,Globex,Retail,40\n');
    file('contacts.csv', 'id,first_name,last_name,email,state,score,email_consent,account_id,birthdate\nC1,Ada,Lovelace,ada@acme.test,AZ,80,true,A1,1990-12-10\nC2,Bob,Stone,bob@globex.test,AZ,20,false,A2,\nC3,Cy,Young,cy@acme.test,CA,55,true,A1,\n');
    file('bad-contacts.csv', 'id,score\nC9,lots\n');
    file('interactions.jsonl', [
      { id: 'i1', contact_id: 'C1', type: 'email_open', occurred_at: '2024-05-30T10:00:00Z', campaign_id: 'spring' },
      { id: 'i2', contact_id: 'C2', type: 'email_open', occurred_at: '2024-05-29T10:00:00Z' },
      { id: 'i3', contact_id: 'C2', type: 'form_submit', occurred_at: '2024-05-20T10:00:00Z' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    file('az.json', JSON.stringify({ id: 'az', name: 'Arizona openers', type: 'dynamic', query: { blocks: [
      { kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } },
      { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } } },
    ] } }));
    file('az2.json', JSON.stringify({ id: 'az', name: 'Arizona', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } }));
    file('bad.json', JSON.stringify({ id: 'bad', name: 'Bad', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'equals', value: 'AZ' } }] } }));
    file('vip.json', JSON.stringify({ id: 'vip', name: 'VIP', type: 'static', members: ['C1'] }));
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const steps: string[][] = [
    ['import', 'accounts', 'accounts.csv'],
    ['import', 'contacts', 'contacts.csv'],
    ['import', 'contacts', 'bad-contacts.csv'],
    ['import', 'interactions', 'interactions.jsonl'],
    ['schema', 'add-attribute', 'contact', 'tier', 'string'],
    ['schema', 'set-label', 'contact', 'tier', 'Loyalty tier'],
    ['schema', 'set-label', 'interaction_type', 'email_open', 'Newsletter opened'],
    ['segments', 'estimate', 'az.json'],
    ['segments', 'create', 'az.json'],
    ['segments', 'create', 'bad.json'],
    ['segments', 'go-live', 'az'],
    ['segments', 'list'],
    ['segments', 'members', 'az'],
    ['segments', 'members', 'az', '--format', 'csv'],
    ['segments', 'members', 'az', '--format', 'jsonl'],
    ['segments', 'explain', 'az', 'C2'],
    ['segments', 'update', 'az', 'az2.json'],
    ['segments', 'members', 'az'],
    ['segments', 'changes', 'az'],
    ['segments', 'create', 'vip.json'],
    ['segments', 'add-members', 'vip', 'C2', 'C3'],
    ['segments', 'remove-members', 'vip', 'C1'],
    ['delete', 'contacts', 'C2'],
    ['segments', 'members', 'az'],
    ['segments', 'refresh', '--all'],
    ['segments', 'stop', 'az'],
    ['segments', 'show', 'az'],
    ['segments', 'go-live', 'nope'],
    ['schema', 'show'],
  ];

  it('prints the same for every step, errors and exit statuses included', { timeout: 180_000 }, async () => {
    const differences: string[] = [];
    for (const step of steps) {
      const args = step.map((a) => (/\.(csv|jsonl|json)$/.test(a) ? join(dir, a) : a));
      const [l, r] = [await local(...args), await remote(...args)];
      for (const part of ['code', 'stdout', 'stderr'] as const) {
        const [a, b] = [steady(String(l[part])), steady(String(r[part]))];
        if (a !== b) differences.push(`segmata ${step.join(' ')} — ${part}:\n  local:  ${JSON.stringify(a)}\n  server: ${JSON.stringify(b)}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('says plainly when a command works on a local database only, or the server or key is wrong', async () => {
    const watch = await remote('watch');
    expect(watch.code).toBe(2);
    expect(watch.stderr).toContain('"watch" works on a local database only');
    const badKey = await segmata(['--server', server.base, '--key', 'sgm_wrong', 'segments', 'list']);
    expect(badKey.code).not.toBe(0);
    expect(badKey.stderr).toContain('the API key is not valid');
    const noKey = await segmata(['--server', server.base, 'segments', 'list'], { SEGMATA_KEY: '' });
    expect(noKey.stderr).toContain('give an API key with --key KEY');
    const down = await segmata(['--server', 'http://127.0.0.1:1', '--key', 'x', 'segments', 'list']);
    expect(down.stderr).toContain('cannot reach the server at http://127.0.0.1:1');
  });

  it('names the server holding a database when a local command opens it', async () => {
    const held = await segmata(['--db', server.db, 'segments', 'list']);
    expect(held.code).not.toBe(0);
    expect(held.stderr).toMatch(/database .* is in use by another process \(PID \d+\), most likely a running "segmata serve"/);
  });
});
