import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/engine.js';
import { BIN, runCli, type CliResult } from './helpers/cli.js';

/** Run the real `segmata` binary on the test's database, as a user would after `npm install`. */
function segmata(dir: string, ...args: string[]): Promise<CliResult> {
  return runCli(['--db', join(dir, 'test.duckdb'), ...args], { cwd: dir, env: { SEGMATA_NOW: '2024-06-01T12:00:00Z' } });
}

describe('segmata CLI: the README walk-through', () => {
  const { dir, cleanup } = tempDir('segmata-cli-');
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(() => {
    file('accounts.csv', 'id,name,industry,employees\nA1,Acme,Software,900\nA2,Globex,Retail,40\n');
    file(
      'contacts.csv',
      'id,first_name,last_name,email,state,score,email_consent,account_id\n' +
        'C1,Ada,Lovelace,ada@acme.test,AZ,80,true,A1\n' +
        'C2,Bob,Stone,bob@globex.test,AZ,20,false,A2\n' +
        'C3,Cy,Young,cy@acme.test,CA,55,true,A1\n',
    );
    file(
      'interactions.csv',
      'id,contact_id,type,occurred_at,campaign_id\n' +
        'i1,C1,email_open,2024-05-30T10:00:00Z,spring\n' +
        'i2,C2,email_open,2024-05-29T10:00:00Z,spring\n' +
        'i3,C2,form_submit,2024-05-20T10:00:00Z,\n' +
        'i4,C3,email_open,2024-01-01T10:00:00Z,winter\n',
    );
    file(
      'az-openers.json',
      JSON.stringify({
        id: 'az-openers',
        name: 'Arizona openers',
        type: 'dynamic',
        query: {
          blocks: [
            { kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } },
            { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } } },
            { relation: 'but_not', kind: 'behavioral', interaction: 'form_submit' },
          ],
        },
      }),
    );
  });
  afterAll(cleanup);

  it('imports CSV files, builds a segment, goes live and lists members', async () => {
    for (const kind of ['accounts', 'contacts', 'interactions']) {
      const r = await segmata(dir, 'import', kind, join(dir, `${kind}.csv`));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const estimate = await segmata(dir, 'segments', 'estimate', join(dir, 'az-openers.json'));
    expect(estimate.stdout).toContain('estimated members: 1');
    expect(estimate.stdout).toMatch(/block 1 \(profile\) on its own: 2/);

    expect((await segmata(dir, 'segments', 'create', join(dir, 'az-openers.json'))).code).toBe(0);
    const live = await segmata(dir, 'segments', 'go-live', 'az-openers');
    expect(live.stdout).toContain('1 member (1 entered, 0 exited)');

    expect((await segmata(dir, 'segments', 'members', 'az-openers')).stdout).toBe('C1\n');
    const csv = await segmata(dir, 'segments', 'members', 'az-openers', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toMatch(/^id,first_name,last_name,email/);
    expect(csv.stdout).toContain('C1,Ada,Lovelace,ada@acme.test');
    const jsonl = await segmata(dir, 'segments', 'members', 'az-openers', '--format', 'jsonl');
    expect(JSON.parse(jsonl.stdout.trim())).toMatchObject({ id: 'C1', state: 'AZ', score: 80 });

    const list = await segmata(dir, 'segments', 'list');
    expect(list.stdout).toMatch(/az-openers\s+Arizona openers\s+dynamic\s+live\s+1/);

    const changes = await segmata(dir, 'segments', 'changes', 'az-openers');
    expect(changes.stdout.trim()).toBe('2024-06-01T12:00:00.000Z\tentered\tC1\tgo_live');
  });

  it('explains, block by block, why a contact is out', async () => {
    const r = await segmata(dir, 'segments', 'explain', 'az-openers', 'C2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('State is "AZ" — actual: "AZ"');
    // A but-not block reads by its effect on the result: this one takes C2 out.
    expect(r.stdout).toContain('3. but not contacts with Form submitted at least once: excluded by this block: the contact matches it (1 matching interaction) → so far OUT');
    expect(r.stdout).toContain('Result: NOT A MEMBER');
  });

  it('evaluates as of --now', async () => {
    // On 2024-07-15 the May opens are older than 30 days.
    const r = await segmata(dir, '--now', '2024-07-15T00:00:00Z', 'segments', 'estimate', join(dir, 'az-openers.json'));
    expect(r.stdout).toContain('estimated members: 0');
  });

  it('fails with a one-line reason and a non-zero status', async () => {
    const bad = file('bad.json', JSON.stringify({ name: 'Bad', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'equals', value: 'AZ' } }] } }));
    const r = await segmata(dir, 'segments', 'create', bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('query.blocks[0].where.op: unknown operator "equals"');

    const missing = await segmata(dir, 'segments', 'go-live', 'nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toBe('segmata: segment "nope" does not exist\n');

    const badNow = await segmata(dir, '--now', 'yesterday', 'segments', 'list');
    expect(badNow.code).not.toBe(0);
    expect(badNow.stderr).toContain('--now: expected an ISO 8601');
  });

  it('manages static segments and templates', async () => {
    const stat = file('vip.json', JSON.stringify({ id: 'vip', name: 'VIP', type: 'static', members: ['C1', 'C3'] }));
    expect((await segmata(dir, 'segments', 'create', stat)).stdout).toContain('2 members');
    expect((await segmata(dir, 'segments', 'remove-members', 'vip', 'C1')).stdout).toBe('removed 1 member; segment vip has 1 member\n');
    const unknown = await segmata(dir, 'segments', 'add-members', 'vip', 'C404');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('C404');
    expect((await segmata(dir, 'segments', 'members', 'vip')).stdout).toBe('C3\n');

    const templates = await segmata(dir, 'templates', 'list');
    expect(templates.stdout.split('\n').length).toBeGreaterThan(12);
  });

  it('watch keeps live segments current as time passes, printing each change, until interrupted', async () => {
    // C1's open (2024-05-30T10:00Z) leaves the 30-day window at 2024-06-29T10:00Z; watch runs later.
    const child = spawn(process.execPath, [BIN, '--db', join(dir, 'test.duckdb'), 'watch'], {
      cwd: dir,
      env: { ...process.env, SEGMATA_NOW: '2024-07-15T00:00:00Z' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const watching = new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), stderr.includes('watching') && resolve())));
    // 'close', not 'exit': the child may exit before the parent has read all of its output.
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([watching, exited]);
    expect(stderr).toContain('caught up');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('2024-06-29T10:00:00.000Z\taz-openers\texited\tC1\ttime');
    const after = await segmata(dir, '--now', '2024-07-15T00:00:00Z', 'segments', 'members', 'az-openers');
    expect(after.stdout).toBe('');
  });

  it('shows and extends the schema', async () => {
    expect((await segmata(dir, 'schema', 'add-attribute', 'contact', 'tier', 'string')).code).toBe(0);
    const show = await segmata(dir, 'schema', 'show');
    expect(show.stdout).toMatch(/tier\s+string\s+yes\s+custom/);
    const dup = await segmata(dir, 'schema', 'add-attribute', 'contact', 'tier', 'number');
    expect(dup.stderr).toContain('contact already has an attribute "tier"');
  });
});
