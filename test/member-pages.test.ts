import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import { jsonRow } from '../src/engine/records/values.js';
import { tempDir, TEST_NOW } from './helpers/engine.js';

const STATES = ['AZ', 'CA', 'TX'];
const AZ = { id: 'az', name: 'Arizona', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } };

/** Every member, page by page from memory (small pages, so paging itself is exercised). */
async function fromMemory(engine: Engine, id: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await engine.memberPageFromMemory(id, after, 3);
    if (page === 'not_maintained') throw new Error(`${id} is not maintained`);
    out.push(...page.items.map((j) => JSON.parse(j) as Record<string, unknown>));
    // Every page says how many members there are in all.
    if (!page.next) return (expect(page.total).toBe(out.length), out);
    after = page.next;
  }
}

/** The same from the database: stored members joined with their contacts, as the API shows rows. */
async function fromDatabase(engine: Engine, id: string): Promise<Record<string, unknown>[]> {
  const types = new Map(engine.registry.attributes('contact').map((a) => [a.name, a.type as string]));
  const out: Record<string, unknown>[] = [];
  for await (const page of engine.members(id, true)) out.push(...page.map((r) => jsonRow(r, types)));
  return out;
}

type Op =
  | { kind: 'upsert'; n: number; state: string; score: number }
  | { kind: 'delete'; n: number }
  | { kind: 'stop' }
  | { kind: 'live' }
  | { kind: 'vip'; n: number; add: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('upsert' as const), n: fc.integer({ min: 0, max: 11 }), state: fc.constantFrom(...STATES), score: fc.integer({ min: 0, max: 99 }) }),
  fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 11 }) }),
  fc.constant({ kind: 'stop' as const }),
  fc.constant({ kind: 'live' as const }),
  fc.record({ kind: fc.constant('vip' as const), n: fc.integer({ min: 0, max: 11 }), add: fc.boolean() }),
);

describe('member pages from memory', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('equal the stored membership with each contact as stored, through random writes, stops and hand-picked changes', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const engine = await Engine.open({ db: `${dir}/pages.duckdb`, clock: fixedClock(TEST_NOW), resident: true });
    cleanups.push(() => engine.close());
    // Some ids hold characters whose order differs between UTF-16 code units (JS's `<`) and
    // bytes (DuckDB's ORDER BY): U+E000–U+FFFF against those beyond U+FFFF (surrogate pairs).
    // And separators a text encoding of id lists might use (control characters, which ids can
    // no longer hold, are the next test's stored ids).
    const ODD = ['\uE000', '\u{1F600}', '\uFFFD', '\u{10000}', 'a|b', 'a;b,"'];
    const id = (n: number): string => (n < 6 ? `c0${n}` : `cx${ODD[n - 6]}`);
    await engine.upsertRecords('contacts', Array.from({ length: 8 }, (_, n) => ({ id: id(n), state: STATES[n % 3], score: n, created_at: TEST_NOW, birthdate: '1990-01-0' + (1 + (n % 9)) })));
    await engine.segments.create(AZ);
    await engine.segments.goLive('az');
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: [id(0)] });
    let live = true;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'upsert') await engine.upsertRecords('contacts', [{ id: id(o.n), state: o.state, score: o.score }]);
          else if (o.kind === 'delete') await engine.deleteRecords('contacts', [id(o.n)]);
          else if (o.kind === 'stop' && live) {
            await engine.segments.stop('az');
            live = false;
          } else if (o.kind === 'live' && !live) {
            await engine.segments.goLive('az');
            live = true;
          } else if (o.kind === 'vip') {
            const exists = (await engine.store.all('SELECT 1 FROM contacts WHERE id = $1', [id(o.n)])).length > 0;
            if (exists || !o.add) await engine.segments.changeMembers('vip', [id(o.n)], o.add ? 'add' : 'remove');
          }
          await engine.live.processPending();
          for (const seg of ['az', 'vip']) expect(await fromMemory(engine, seg)).toEqual(await fromDatabase(engine, seg));
        }
      }),
      { numRuns: Number(process.env.SEGMATA_PROPERTY_RUNS ?? 15) },
    );
  });

  it('page in the database\'s order when ids hold characters beyond U+FFFF or control characters', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // Byte order: U+E000 < U+FFFD < U+1F600; UTF-16 code units put U+1F600 (D83D DE00) first.
    const ids = ['cx\u001e\u001f', 'cx\uE000', 'cx\uFFFD', 'cx\u{1F600}'];
    // Ids with control characters are refused since they are checked, but a database written
    // before may hold them: stored as such a database holds them, then opened.
    const before = await Engine.open({ db: `${dir}/pages.duckdb`, clock: fixedClock(TEST_NOW) });
    for (const id of ids) await before.store.run(`INSERT INTO contacts (id, state) VALUES ($1, 'AZ')`, [id]);
    await before.close();
    const engine = await Engine.open({ db: `${dir}/pages.duckdb`, clock: fixedClock(TEST_NOW), resident: true });
    cleanups.push(() => engine.close());
    await engine.segments.create(AZ);
    await engine.segments.goLive('az');
    const paged = (await fromMemory(engine, 'az')).map((r) => r.id);
    expect(paged).toEqual(ids);
    expect(paged).toEqual((await fromDatabase(engine, 'az')).map((r) => r.id));
    // The same once the held ids were merged with new members from the change log.
    await engine.upsertRecords('contacts', [{ id: 'cx\u{10000}', state: 'AZ' }, { id: 'cx\uE001', state: 'AZ' }, { id: 'cx,"', state: 'AZ' }]);
    await engine.live.processPending();
    expect((await fromMemory(engine, 'az')).map((r) => r.id)).toEqual(['cx\u001e\u001f', 'cx,"', 'cx\uE000', 'cx\uE001', 'cx\uFFFD', 'cx\u{10000}', 'cx\u{1F600}']);
  });
});
