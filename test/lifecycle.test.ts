import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Block, SegmentDefinition } from '../src/definition/ast.js';
import type { Engine } from '../src/engine/engine.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { changeLog, seed, storedMembers } from './helpers/seed.js';

/** SPEC §3 (batch half): create, versions, go-live, stop, delete, refresh, static members. */

const stateIs = (value: string): Block => ({ kind: 'profile', where: { attr: 'state', op: 'eq', value } });
const seg = (segment: string, relation?: Block['relation']): Block => ({ kind: 'segment', segment, ...(relation ? { relation } : {}) });
const dynamic = (id: string, ...blocks: Block[]): SegmentDefinition => ({ id, name: `Segment ${id}`, type: 'dynamic', query: { blocks } });

let engine: Engine;

beforeEach(async () => {
  engine = await memoryEngine();
  await seed(engine, {
    contacts: [
      { id: 'c1', state: 'AZ' },
      { id: 'c2', state: 'AZ' },
      { id: 'c3', state: 'CA' },
      { id: 'c4', state: 'NY' },
    ],
  });
});

afterEach(async () => {
  await engine?.close();
});

const setState = (id: string, state: string): Promise<void> => engine.store.run('UPDATE contacts SET state = $1 WHERE id = $2', [state, id]);

describe('create and update', () => {
  it('creates a draft at version 1 without members, the id generated from the name', async () => {
    const s = await engine.segments.create({ name: 'Arizona openers!', type: 'dynamic', query: { blocks: [stateIs('AZ')] } });
    expect(s).toMatchObject({ id: 'arizona-openers', status: 'draft', version: 1, memberCount: 0, type: 'dynamic' });
    expect(await storedMembers(engine, 'arizona-openers')).toEqual([]);
  });

  it('refuses a second segment with the same id', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await expect(engine.segments.create(dynamic('az', stateIs('CA')))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps every saved version; updating a draft evaluates nothing', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.update('az', dynamic('az', stateIs('CA')));
    const s = await engine.segments.update('az', { ...dynamic('az', stateIs('NY')), name: 'New York' });
    expect(s).toMatchObject({ version: 3, status: 'draft', name: 'New York' });
    expect(s.definition.query).toEqual({ blocks: [stateIs('NY')] });
    const versions = await engine.store.all<{ version: number; definition: string }>(
      'SELECT version, definition FROM segment_versions WHERE segment_id = $1 ORDER BY version',
      ['az'],
    );
    expect(versions.map((v) => [v.version, (JSON.parse(v.definition) as SegmentDefinition).query])).toEqual([
      [1, { blocks: [stateIs('AZ')] }],
      [2, { blocks: [stateIs('CA')] }],
      [3, { blocks: [stateIs('NY')] }],
    ]);
    expect(await storedMembers(engine, 'az')).toEqual([]);
    expect(await changeLog(engine, 'az')).toEqual([]);
  });

  it('refuses an update that changes the type or names another id', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await expect(engine.segments.update('az', { id: 'az', name: 'x', type: 'static' })).rejects.toMatchObject({ code: 'invalid_definition' });
    await expect(engine.segments.update('az', dynamic('other', stateIs('AZ')))).rejects.toMatchObject({ code: 'invalid_definition' });
    await expect(engine.segments.update('nope', dynamic('nope', stateIs('AZ')))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('go-live, stop and going live again', () => {
  it('go-live evaluates, persists the members and records each entry', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    expect(await engine.segments.goLive('az')).toMatchObject({ segmentId: 'az', members: 2, entered: 2, exited: 0 });
    expect(await engine.segments.get('az')).toMatchObject({ status: 'live', memberCount: 2, evaluatedAt: new Date(TEST_NOW) });
    expect(await storedMembers(engine, 'az')).toEqual(['c1', 'c2']);
    const log = await engine.store.all<{ contact_id: string; change: string; cause: string; changed_at: Date }>(
      'SELECT contact_id, change, cause, changed_at FROM membership_changes WHERE segment_id = $1 ORDER BY seq',
      ['az'],
    );
    expect(log).toEqual([
      { contact_id: 'c1', change: 'entered', cause: 'go_live', changed_at: new Date(TEST_NOW) },
      { contact_id: 'c2', change: 'entered', cause: 'go_live', changed_at: new Date(TEST_NOW) },
    ]);
    await expect(engine.segments.goLive('az')).rejects.toMatchObject({ code: 'lifecycle' });
  });

  it('stop keeps the last membership; going live again records entered/exited against it', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.goLive('az');
    expect(await engine.segments.stop('az')).toMatchObject({ status: 'stopped' });
    expect(await storedMembers(engine, 'az')).toEqual(['c1', 'c2']);
    await expect(engine.segments.stop('az')).rejects.toMatchObject({ code: 'lifecycle' });

    await setState('c1', 'CA');
    await setState('c3', 'AZ');
    expect(await engine.segments.goLive('az')).toMatchObject({ members: 2, entered: 1, exited: 1 });
    expect(await storedMembers(engine, 'az')).toEqual(['c2', 'c3']);
    expect((await changeLog(engine, 'az')).slice(2)).toEqual([
      { contact_id: 'c3', change: 'entered', cause: 'go_live' },
      { contact_id: 'c1', change: 'exited', cause: 'go_live' },
    ]);
  });

  it('editing a live segment keeps it live and re-evaluates it, logging definition_edit', async () => {
    await engine.segments.create(dynamic('seg', stateIs('AZ')));
    await engine.segments.goLive('seg');
    const s = await engine.segments.update('seg', dynamic('seg', { kind: 'profile', where: { attr: 'state', op: 'in', value: ['AZ', 'CA'] } }, { ...stateIs('AZ'), relation: 'but_not' }));
    expect(s).toMatchObject({ status: 'live', version: 2, memberCount: 1 });
    expect(await storedMembers(engine, 'seg')).toEqual(['c3']);
    expect((await changeLog(engine, 'seg')).slice(2)).toEqual([
      { contact_id: 'c3', change: 'entered', cause: 'definition_edit' },
      { contact_id: 'c1', change: 'exited', cause: 'definition_edit' },
      { contact_id: 'c2', change: 'exited', cause: 'definition_edit' },
    ]);
  });

  it('an evaluation that fails puts the segment in error with the reason', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    // The column vanishes behind the registry's back: the SQL fails at evaluation.
    await engine.store.run('ALTER TABLE contacts DROP COLUMN state');
    await expect(engine.segments.goLive('az')).rejects.toMatchObject({ code: 'evaluation_failed' });
    const s = await engine.segments.get('az');
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/state/);
  });

  it('go-live re-validates against the current schema', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.setQueryable('contact', 'state', false);
    await expect(engine.segments.goLive('az')).rejects.toMatchObject({ code: 'invalid_definition' });
    expect((await engine.segments.get('az')).status).toBe('draft');
  });
});

describe('references between segments', () => {
  it('go-live is refused while a referenced dynamic segment is not live (draft or stopped)', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.create(dynamic('parent', seg('az')));
    await expect(engine.segments.goLive('parent')).rejects.toMatchObject({ code: 'lifecycle', message: expect.stringContaining('"az"') });
    expect((await engine.segments.get('parent')).status).toBe('draft');

    await engine.segments.goLive('az');
    await engine.segments.stop('az');
    await expect(engine.segments.goLive('parent')).rejects.toMatchObject({ code: 'lifecycle' });

    await engine.segments.goLive('az');
    expect(await engine.segments.goLive('parent')).toMatchObject({ members: 2 });
  });

  it('a static segment can be referenced by a live segment whatever its status', async () => {
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c4'] });
    await engine.segments.create(dynamic('parent', stateIs('AZ'), seg('vip', 'or')));
    expect(await engine.segments.goLive('parent')).toMatchObject({ members: 3 });
  });

  it('a live segment cannot be edited to reference a segment that is not live', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.create(dynamic('parent', stateIs('CA')));
    await engine.segments.goLive('parent');
    await expect(engine.segments.update('parent', dynamic('parent', seg('az')))).rejects.toMatchObject({ code: 'lifecycle' });
    expect(await engine.segments.get('parent')).toMatchObject({ version: 1, status: 'live' });
  });

  it('stop is refused while a live segment references it', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.goLive('az');
    await engine.segments.create(dynamic('parent', seg('az')));
    await engine.segments.goLive('parent');
    await expect(engine.segments.stop('az')).rejects.toMatchObject({ code: 'lifecycle', message: expect.stringContaining('"parent"') });
    expect((await engine.segments.get('az')).status).toBe('live');
    await engine.segments.stop('parent');
    expect(await engine.segments.stop('az')).toMatchObject({ status: 'stopped' });
  });

  it('delete is refused while any segment references it; allowed once the reference is gone', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.goLive('az');
    await engine.segments.create(dynamic('parent', stateIs('CA'), seg('az', 'or')));
    await expect(engine.segments.delete('az')).rejects.toMatchObject({ code: 'lifecycle', message: expect.stringContaining('"parent"') });
    expect(await storedMembers(engine, 'az')).toEqual(['c1', 'c2']);

    await engine.segments.update('parent', dynamic('parent', stateIs('CA')));
    await engine.segments.delete('az');
    await expect(engine.segments.get('az')).rejects.toMatchObject({ code: 'not_found' });
    expect(await storedMembers(engine, 'az')).toEqual([]);
    const versions = await engine.store.all('SELECT * FROM segment_versions WHERE segment_id = $1', ['az']);
    expect(versions).toEqual([]);
    await expect(engine.segments.delete('az')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cycles are rejected at save time', async () => {
    await engine.segments.create(dynamic('a', stateIs('AZ')));
    await engine.segments.create(dynamic('b', seg('a')));
    await engine.segments.create(dynamic('c', seg('b')));
    const err = await engine.segments.update('a', dynamic('a', stateIs('AZ'), seg('c', 'or'))).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'invalid_definition',
      issues: [{ path: 'query', message: 'segment references form a cycle: a → c → b → a' }],
    });
    expect((await engine.segments.get('a')).version).toBe(1);
    await expect(engine.segments.create(dynamic('self', stateIs('AZ'), seg('self', 'or')))).rejects.toMatchObject({
      code: 'invalid_definition',
      issues: [{ path: 'query.blocks[1].segment', message: 'a segment cannot reference itself' }],
    });
  });
});

describe('refresh', () => {
  it('re-evaluates a live segment and logs the changes as refresh', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.goLive('az');
    await setState('c2', 'NY');
    await setState('c4', 'AZ');
    const [result] = await engine.segments.refresh('az');
    expect(result).toMatchObject({ segmentId: 'az', members: 2, entered: 1, exited: 1 });
    expect(await storedMembers(engine, 'az')).toEqual(['c1', 'c4']);
    expect((await changeLog(engine, 'az')).slice(2)).toEqual([
      { contact_id: 'c4', change: 'entered', cause: 'refresh' },
      { contact_id: 'c2', change: 'exited', cause: 'refresh' },
    ]);
  });

  it('refreshing all goes parts before wholes and leaves drafts alone', async () => {
    // The whole sorts before its part by id, so only dependency order puts the part first.
    await engine.segments.create(dynamic('z-part', stateIs('AZ')));
    await engine.segments.goLive('z-part');
    await engine.segments.create({ id: 'a-whole', name: 'whole', type: 'compound', query: { blocks: [seg('z-part')] } });
    await engine.segments.goLive('a-whole');
    await engine.segments.create(dynamic('draft', stateIs('AZ')));
    await setState('c3', 'AZ');
    const results = await engine.segments.refresh();
    expect(results.map((r) => r.segmentId)).toEqual(['z-part', 'a-whole']);
    expect(await storedMembers(engine, 'a-whole')).toEqual(['c1', 'c2', 'c3']);
    expect(await storedMembers(engine, 'draft')).toEqual([]);
  });

  it('refreshing a segment re-evaluates the live segments built on it', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.segments.goLive('az');
    await engine.segments.create(dynamic('parent', seg('az'), { ...stateIs('CA'), relation: 'or' }));
    await engine.segments.goLive('parent');
    await setState('c4', 'AZ');
    await engine.segments.refresh('az');
    expect(await storedMembers(engine, 'parent')).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect((await changeLog(engine, 'parent')).at(-1)).toEqual({ contact_id: 'c4', change: 'entered', cause: 'refresh' });
  });

  it('refuses to refresh a segment that is not live', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await expect(engine.segments.refresh('az')).rejects.toMatchObject({ code: 'lifecycle' });
  });
});

describe('static segments', () => {
  it('are created with members, each entry logged as manual', async () => {
    const s = await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c3', 'c1', 'c1'] });
    expect(s).toMatchObject({ type: 'static', memberCount: 2 });
    expect(await storedMembers(engine, 'vip')).toEqual(['c1', 'c3']);
    expect(await changeLog(engine, 'vip')).toEqual([
      { contact_id: 'c1', change: 'entered', cause: 'manual' },
      { contact_id: 'c3', change: 'entered', cause: 'manual' },
    ]);
  });

  it('refuse unknown contact ids and write nothing', async () => {
    const err = await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c1', 'nobody'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_argument', issues: [{ path: 'members', message: 'unknown contact "nobody"' }] });
    await expect(engine.segments.get('vip')).rejects.toMatchObject({ code: 'not_found' });
    expect(await storedMembers(engine, 'vip')).toEqual([]);

    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static' });
    await expect(engine.segments.changeMembers('vip', ['c2', 'ghost'], 'add')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await storedMembers(engine, 'vip')).toEqual([]);
  });

  it('add and remove members, counting and logging only real changes', async () => {
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c1'] });
    expect(await engine.segments.changeMembers('vip', ['c1', 'c2', 'c2', 'c3'], 'add')).toBe(2);
    expect(await storedMembers(engine, 'vip')).toEqual(['c1', 'c2', 'c3']);
    expect(await engine.segments.changeMembers('vip', ['c1', 'c4'], 'remove')).toBe(1);
    expect(await storedMembers(engine, 'vip')).toEqual(['c2', 'c3']);
    expect((await engine.segments.get('vip')).memberCount).toBe(2);
    expect((await changeLog(engine, 'vip')).slice(1)).toEqual([
      { contact_id: 'c2', change: 'entered', cause: 'manual' },
      { contact_id: 'c3', change: 'entered', cause: 'manual' },
      { contact_id: 'c1', change: 'exited', cause: 'manual' },
    ]);
  });

  it('never change by themselves: data changes, go-live and refresh leave them as set', async () => {
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c1', 'c4'] });
    expect(await engine.segments.goLive('vip')).toMatchObject({ members: 2, entered: 0, exited: 0 });
    await setState('c1', 'ZZ');
    await engine.segments.refresh();
    expect(await storedMembers(engine, 'vip')).toEqual(['c1', 'c4']);
    expect(await changeLog(engine, 'vip')).toHaveLength(2);
  });

  it('a change of members re-evaluates the live segments that read it', async () => {
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c4'] });
    await engine.segments.create(dynamic('parent', stateIs('AZ'), seg('vip', 'or')));
    await engine.segments.goLive('parent');
    await engine.segments.changeMembers('vip', ['c3'], 'add');
    expect(await storedMembers(engine, 'parent')).toEqual(['c1', 'c2', 'c3', 'c4']);
    await engine.segments.changeMembers('vip', ['c4'], 'remove');
    expect(await storedMembers(engine, 'parent')).toEqual(['c1', 'c2', 'c3']);
    expect((await changeLog(engine, 'parent')).slice(3)).toEqual([
      { contact_id: 'c3', change: 'entered', cause: 'refresh' },
      { contact_id: 'c4', change: 'exited', cause: 'refresh' },
    ]);
  });

  it('members are managed only on static segments, and not through update', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await expect(engine.segments.changeMembers('az', ['c1'], 'add')).rejects.toMatchObject({ code: 'lifecycle' });
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static' });
    await expect(engine.segments.update('vip', { id: 'vip', name: 'VIP', type: 'static', members: ['c1'] })).rejects.toMatchObject({
      code: 'invalid_definition',
    });
  });
});

describe('audit log', () => {
  const entries = async (): Promise<unknown[][]> =>
    (await engine.store.all<{ actor: string; action: string; segment_id: string; version_before: number | null; version_after: number | null }>(
      'SELECT actor, action, segment_id, version_before, version_after FROM audit_log ORDER BY seq',
    )).map((r) => [r.actor, r.action, r.segment_id, r.version_before, r.version_after]);

  it('records every segment change, by whom, with the versions before and after', async () => {
    const by = { actor: 'key-1 (ops)' };
    await engine.segments.create(dynamic('az', stateIs('AZ')), by);
    await engine.segments.update('az', dynamic('az', stateIs('CA')), by);
    await engine.segments.goLive('az', by);
    await engine.segments.refresh('az', by);
    await engine.segments.stop('az', by);
    await engine.segments.delete('az');
    await engine.segments.create({ id: 'picked', name: 'Picked', type: 'static', members: ['c1'] });
    await engine.segments.changeMembers('picked', ['c2'], 'add');
    await engine.segments.changeMembers('picked', ['c2'], 'remove');
    await engine.segments.changeMembers('picked', ['c2'], 'remove'); // not a member: no change, no entry
    expect(await entries()).toEqual([
      ['key-1 (ops)', 'create', 'az', null, 1],
      ['key-1 (ops)', 'update', 'az', 1, 2],
      ['key-1 (ops)', 'go_live', 'az', 2, 2],
      ['key-1 (ops)', 'refresh', 'az', 2, 2],
      ['key-1 (ops)', 'stop', 'az', 2, 2],
      ['local', 'delete', 'az', 2, null],
      ['local', 'create', 'picked', null, 1],
      ['local', 'add_members', 'picked', 1, 1],
      ['local', 'remove_members', 'picked', 1, 1],
    ]);
  });

  it('a refused change records nothing', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await expect(engine.segments.update('az', dynamic('az', stateIs('CA')), { expectedVersion: 7 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(engine.segments.stop('az')).rejects.toMatchObject({ code: 'lifecycle' });
    expect(await entries()).toEqual([['local', 'create', 'az', null, 1]]);
  });

  it('a change whose entry cannot be written is not made: the two commit together', async () => {
    await engine.segments.create(dynamic('az', stateIs('AZ')));
    await engine.store.run('DROP TABLE audit_log');
    await expect(engine.segments.goLive('az')).rejects.toThrow();
    await expect(engine.segments.update('az', dynamic('az', stateIs('CA')))).rejects.toThrow();
    await expect(engine.segments.create(dynamic('ca', stateIs('CA')))).rejects.toThrow();
    const rows = await engine.store.all<{ id: string; version: number; status: string }>('SELECT id, version, status FROM segments ORDER BY id');
    expect(rows.map((r) => [r.id, r.version, r.status])).toEqual([['az', 1, 'error']]);
    expect(await storedMembers(engine, 'az')).toEqual([]);
  });
});
