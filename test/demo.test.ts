import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSegments, generateDataset, type GeneratedDataset } from '../src/engine/demo/index.js';
import type { Engine } from '../src/engine/engine.js';
import { SegmataError } from '../src/errors.js';
import { DEFAULT_ATTRIBUTES, TABLES } from '../src/schema/defaults.js';
import type { RecordKind } from '../src/schema/types.js';
import { memoryEngine, tempDir, TEST_NOW } from './helpers/engine.js';

const SIZE = { contacts: 300, accounts: 40, interactions: 5000, seed: 7 };
const NOW = new Date(TEST_NOW);
const KINDS = { accounts: 'account', contacts: 'contact', leads: 'lead', interactions: 'interaction' } as const;

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const hashes = (d: GeneratedDataset): string[] => Object.values(d.files).map(sha);

/**
 * Test-only loader: DuckDB's own CSV reader straight into the tables, so this test does not
 * depend on the import pipeline. Paths are temp dirs made by the test (quoted defensively).
 */
async function load(engine: Engine, data: GeneratedDataset): Promise<void> {
  for (const [file, kind] of Object.entries(KINDS) as [keyof typeof KINDS, RecordKind][]) {
    const path = data.files[file].replaceAll("'", "''");
    await engine.store.run(`INSERT INTO ${TABLES[kind]} BY NAME SELECT * FROM read_csv('${path}', header = true, all_varchar = true)`);
  }
}

const count = async (engine: Engine, sql: string): Promise<number> => (await engine.store.all<{ n: number }>(sql))[0]?.n ?? -1;

describe('demo data set', () => {
  const tmp = tempDir('segmata-demo-');
  let data: GeneratedDataset;
  let engine: Engine;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    data = await generateDataset({ dir: `${tmp.dir}/a`, ...SIZE, now: NOW, onProgress: (d, t) => progress.push([d, t]) });
    engine = await memoryEngine();
    await load(engine, data);
  });
  afterAll(async () => {
    await engine.close();
    tmp.cleanup();
  });

  it('is deterministic for a seed and changes with it', async () => {
    const again = await generateDataset({ dir: `${tmp.dir}/b`, ...SIZE, now: NOW });
    expect(hashes(again)).toEqual(hashes(data));
    const other = await generateDataset({ dir: `${tmp.dir}/c`, ...SIZE, seed: 8, now: NOW });
    expect(sha(other.files.contacts)).not.toBe(sha(data.files.contacts));
  });

  it('writes exactly the default-schema columns and the requested row counts', async () => {
    for (const [file, kind] of Object.entries(KINDS) as [keyof typeof KINDS, RecordKind][]) {
      const header = readFileSync(data.files[file], 'utf8').split('\r\n', 1)[0];
      const fixed = kind === 'interaction' ? ['id', 'contact_id', 'type', 'occurred_at'] : ['id'];
      expect(header).toBe([...fixed, ...DEFAULT_ATTRIBUTES.filter((a) => a.entity === kind).map((a) => a.name)].join(','));
    }
    expect(data.counts).toEqual({ contacts: 300, accounts: 40, leads: 30, interactions: 5000 });
    expect(await count(engine, 'SELECT count(*) AS n FROM contacts')).toBe(300);
    expect(await count(engine, 'SELECT count(*) AS n FROM accounts')).toBe(40);
    expect(await count(engine, 'SELECT count(*) AS n FROM leads')).toBe(30);
    expect(await count(engine, 'SELECT count(*) AS n FROM interactions')).toBe(5000);
    expect(progress.at(-1)).toEqual([5370, 5370]);
  });

  it('dates interactions within the year before now, never after it or before the contact existed', async () => {
    const [span] = await engine.store.all<{ first: Date; last: Date }>('SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM interactions');
    expect(span!.last.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(span!.first.getTime()).toBeGreaterThan(NOW.getTime() - 366 * 86_400_000);
    expect(await count(engine, 'SELECT count(*) AS n FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE i.occurred_at < c.created_at')).toBe(0);
  });

  it('references only records that exist; most contacts have an account', async () => {
    expect(await count(engine, 'SELECT count(*) AS n FROM interactions i WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = i.contact_id)')).toBe(0);
    expect(await count(engine, 'SELECT count(*) AS n FROM contacts c WHERE c.account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = c.account_id)')).toBe(0);
    expect(await count(engine, 'SELECT count(*) AS n FROM leads l WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = l.contact_id)')).toBe(0);
    expect(await count(engine, 'SELECT count(*) AS n FROM contacts WHERE account_id IS NOT NULL')).toBeGreaterThan(270);
    expect(await count(engine, 'SELECT count(DISTINCT type) AS n FROM interactions')).toBe(11);
    expect(await count(engine, "SELECT count(*) AS n FROM contacts WHERE state = 'AZ' AND city NOT IN ('Phoenix', 'Tucson', 'Mesa', 'Scottsdale', 'Chandler', 'Tempe', 'Flagstaff')")).toBe(0);
  });

  it('has realistic profiles: Arizona well represented, consent about 70 %, emails from names', async () => {
    expect(await count(engine, "SELECT count(*) AS n FROM contacts WHERE state = 'AZ'")).toBeGreaterThan(20);
    const consent = await count(engine, 'SELECT count(*) AS n FROM contacts WHERE email_consent');
    expect(consent).toBeGreaterThan(170);
    expect(consent).toBeLessThan(250);
    expect(await count(engine, "SELECT count(*) AS n FROM contacts WHERE NOT starts_with(email, lower(first_name || '.' || last_name))")).toBe(0);
    expect(await count(engine, 'SELECT count(*) AS n FROM contacts WHERE score < 0 OR score > 100')).toBe(0);
  });

  it('demo segments validate, go live and have non-trivial memberships', async () => {
    for (const def of demoSegments(SIZE.contacts)) {
      const s = await engine.segments.create(def);
      if (s.type !== 'static') await engine.segments.goLive(s.id);
    }
    const segments = await engine.segments.list();
    expect(segments).toHaveLength(6);
    for (const s of segments) {
      expect(s.memberCount, s.id).toBeGreaterThan(0);
      expect(s.memberCount, s.id).toBeLessThan(SIZE.contacts);
    }
    const byId = new Map(segments.map((s) => [s.id, s]));
    expect(byId.get('vip-contacts')?.memberCount).toBe(5);
    expect(byId.get('arizona-software-openers')?.type).toBe('compound');
  });

  it('rejects a bad size with a clear error', async () => {
    await expect(generateDataset({ dir: `${tmp.dir}/d`, ...SIZE, contacts: 0, now: NOW })).rejects.toThrow(SegmataError);
    await expect(generateDataset({ dir: `${tmp.dir}/d`, ...SIZE, interactions: 1.5, now: NOW })).rejects.toThrow(/interactions/);
  });
});
