import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import { instantiateTemplate } from '../src/engine/templates/index.js';
import { isSegmataError } from '../src/errors.js';
import { startServer, type TestServer } from './helpers/api.js';
import { runCli } from './helpers/cli.js';
import { memoryEngine, tempDir, TEST_NOW } from './helpers/engine.js';

const errorOf = async (p: Promise<unknown>): Promise<{ code: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    if (isSegmataError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
};

describe('schema registry: display labels', () => {
  const { dir, cleanup } = tempDir('segmata-labels-');
  afterAll(cleanup);

  it('default from the names, and keep the labels an admin sets across a restart', async () => {
    const db = join(dir, 'labels.duckdb');
    const engine = await Engine.open({ db, clock: fixedClock(TEST_NOW) });
    expect(engine.registry.label('contact', 'job_title')).toBe('Job title');
    expect(engine.registry.label('interaction_type', 'email_open')).toBe('Email opened');
    expect(engine.registry.label('contact', 'account')).toBe('Account');
    await engine.setLabel('contact', 'job_title', ' Role ');
    await engine.setLabel('interaction_type', 'email_open', 'Opened a newsletter');
    await engine.setLabel('contact', 'account', 'Company');
    expect(engine.registry.label('contact', 'job_title')).toBe('Role');
    await engine.close();

    const reopened = await Engine.open({ db, clock: fixedClock(TEST_NOW) });
    try {
      expect(reopened.registry.label('contact', 'job_title')).toBe('Role');
      expect(reopened.registry.label('interaction_type', 'email_open')).toBe('Opened a newsletter');
      expect(reopened.registry.label('contact', 'account')).toBe('Company');
      // Another entity's attribute of the same name keeps its own label.
      expect(reopened.registry.label('account', 'name')).toBe('Name');
      // An empty label, like one equal to the default, goes back to the default and stores nothing.
      await reopened.setLabel('contact', 'job_title', '');
      await reopened.setLabel('contact', 'account', 'Account');
      expect(reopened.registry.label('contact', 'job_title')).toBe('Job title');
      expect(reopened.registry.snapshot().labels).toEqual([{ entity: 'interaction_type', name: 'email_open', label: 'Opened a newsletter' }]);
    } finally {
      await reopened.close();
    }
  });

  it('refuse an unknown name or entity and a bad label, changing nothing', async () => {
    const engine = await memoryEngine();
    try {
      expect(await errorOf(engine.setLabel('contact', 'nope', 'X'))).toMatchObject({ code: 'not_found', message: expect.stringContaining('"nope" of contact') });
      expect(await errorOf(engine.setLabel('interaction_type', 'nope', 'X'))).toMatchObject({ code: 'not_found' });
      expect(await errorOf(engine.setLabel('opportunity', 'x', 'X'))).toMatchObject({ code: 'invalid_argument' });
      expect(await errorOf(engine.setLabel('contact', 'email', 'a\tb'))).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('control characters') });
      expect(await errorOf(engine.setLabel('contact', 'email', 'x'.repeat(101)))).toMatchObject({ code: 'invalid_argument' });
      expect(engine.registry.snapshot().labels).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describe('a segment made from a template', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryEngine();
  });
  afterAll(async () => engine.close());

  it('is described by its definition in plain words, and the description follows edits of the definition', async () => {
    const def = instantiateTemplate('email-openers', { days: '30' }, { id: 'openers' });
    expect(def.description).toBe('Contacts with Email opened at least once in the last 30 days.');
    await engine.segments.create(def);
    const edited = { ...def, query: { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 60, unit: 'days' } } }] } };
    const saved = await engine.segments.update('openers', edited);
    expect(saved.definition.description).toBe('Contacts with Email opened at least once in the last 60 days.');
  });

  it('keeps a description someone wrote, and one edited along with the definition', async () => {
    const def = instantiateTemplate('email-openers', { days: '30' }, { id: 'openers-own' });
    await engine.segments.create({ ...def, description: 'Our newsletter readers' });
    const query = { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 7, unit: 'days' } } }] };
    expect((await engine.segments.update('openers-own', { ...def, description: 'Our newsletter readers', query })).definition.description).toBe('Our newsletter readers');
    await engine.segments.create(instantiateTemplate('email-openers', { days: '30' }, { id: 'openers-both' }));
    expect((await engine.segments.update('openers-both', { ...def, id: 'openers-both', description: 'Weekly readers', query })).definition.description).toBe('Weekly readers');
  });

  it('recognises a description written with the labels set when it was made', async () => {
    await engine.setLabel('interaction_type', 'email_open', 'Newsletter opened');
    const labels = await engine.labels();
    const def = instantiateTemplate('email-openers', { days: '30' }, { id: 'openers-labelled' }, labels);
    expect(def.description).toBe('Contacts with Newsletter opened at least once in the last 30 days.');
    await engine.segments.create(def);
    const query = { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 14, unit: 'days' } } }] };
    expect((await engine.segments.update('openers-labelled', { ...def, query })).definition.description).toBe('Contacts with Newsletter opened at least once in the last 14 days.');
    await engine.setLabel('interaction_type', 'email_open', null);
  });
});

describe('HTTP API: labels', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s.close());

  it('shows every name with its label and default, and lets an admin set and reset one', async () => {
    const schema = await s.call('GET', '/schema', { role: 'viewer' });
    const contact = schema.body.entities.find((e: { name: string }) => e.name === 'contact');
    expect(contact.attributes.find((a: { name: string }) => a.name === 'job_title')).toMatchObject({ label: 'Job title', defaultLabel: 'Job title' });
    expect(schema.body.interactionTypes.find((t: { name: string }) => t.name === 'email_click')).toMatchObject({ label: 'Email clicked' });
    expect(schema.body.relations).toContainEqual({ from: 'contact', name: 'account', via: 'account_id', to: 'account', label: 'Account', defaultLabel: 'Account' });

    const set = await s.call('POST', '/schema/labels', { role: 'admin', body: { entity: 'account', name: 'industry', label: 'Sector' } });
    expect(set.status).toBe(200);
    const account = set.body.entities.find((e: { name: string }) => e.name === 'account');
    expect(account.attributes.find((a: { name: string }) => a.name === 'industry')).toMatchObject({ label: 'Sector', defaultLabel: 'Industry' });

    // The plain-words definition reads the labels, and segments by their names.
    const seg = { id: 'sector', name: 'Software sector', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'account.industry', op: 'eq', value: 'Software' } }] } };
    expect((await s.call('POST', '/segments', { body: seg })).status).toBe(201);
    const outer = { id: 'outer', name: 'Outer', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }, { relation: 'but_not', kind: 'segment', segment: 'sector' }] } };
    expect((await s.call('POST', '/segments', { body: outer })).status).toBe(201);
    expect((await s.call('GET', '/segments/sector/summary', { role: 'viewer' })).body.summary).toBe('contacts whose Account › Sector is "Software"');
    const summary = await s.call('GET', '/segments/outer/summary', { role: 'viewer' });
    expect(summary.body.summary).toBe('contacts whose State is "AZ"; but not members of segment "Software sector"');
    expect(summary.body.outline).toEqual([{ text: 'contacts whose State is "AZ"' }, { relation: 'but_not', text: 'members of segment "Software sector"' }]);

    const reset = await s.call('POST', '/schema/labels', { role: 'admin', body: { entity: 'account', name: 'industry', label: null } });
    expect(reset.body.entities.find((e: { name: string }) => e.name === 'account').attributes.find((a: { name: string }) => a.name === 'industry').label).toBe('Industry');
  });

  it('describes a segment made from a template under the labels set', async () => {
    await s.call('POST', '/schema/labels', { role: 'admin', body: { entity: 'interaction_type', name: 'email_open', label: 'Newsletter opened' } });
    const made = await s.call('POST', '/templates/email-openers/instantiate', { role: 'editor', body: { params: { days: '7' }, save: false } });
    expect(made.body.definition.description).toBe('Contacts with Newsletter opened at least once in the last 7 days.');
    await s.call('POST', '/schema/labels', { role: 'admin', body: { entity: 'interaction_type', name: 'email_open', label: null } });
  });

  it('words a but-not block that keeps the contact as such in explain', async () => {
    const e = await s.call('GET', '/segments/outer/explain/c1', { role: 'viewer' });
    expect(e.status).toBe(200);
    expect(e.body.text).toContain('2. but not members of segment "Software sector": not excluded: the contact does not match it, so this block keeps the contact → so far IN');
  });

  it('refuses a bad label with the field at fault, and an editor, changing nothing', async () => {
    const before = JSON.stringify((await s.call('GET', '/schema', { role: 'viewer' })).body);
    const cases: [unknown, number, string][] = [
      [{ entity: 'contact', name: 'email', label: 'a\nb' }, 400, 'label'],
      [{ entity: 'contact', name: 'email', label: 'x'.repeat(101) }, 400, 'label'],
      [{ entity: 'contact', name: 'email', label: 5 }, 400, 'label'],
      [{ entity: 'contact', name: 'email' }, 400, 'label'],
      [{ entity: 'opportunity', name: 'email', label: 'E' }, 400, 'entity'],
      [{ entity: 'contact', name: 'nope', label: 'E' }, 404, 'name'],
      [{ entity: 'contact', name: 'email', label: 'E', extra: 1 }, 400, 'extra'],
    ];
    for (const [body, status, field] of cases) {
      const r = await s.call('POST', '/schema/labels', { role: 'admin', body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(r.body), JSON.stringify(body)).toContain(field);
    }
    expect((await s.call('POST', '/schema/labels', { role: 'editor', body: { entity: 'contact', name: 'email', label: 'E' } })).status).toBe(403);
    expect(JSON.stringify((await s.call('GET', '/schema', { role: 'viewer' })).body)).toBe(before);
  });
});

describe('CLI: labels and version', () => {
  const { dir, cleanup } = tempDir('segmata-labels-cli-');
  afterAll(cleanup);
  const segmata = (...args: string[]) => runCli(['--db', join(dir, 'cli.duckdb'), ...args], { env: { SEGMATA_NOW: TEST_NOW } });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('sets, shows and resets a label', async () => {
    const set = await segmata('schema', 'set-label', 'contact', 'job_title', 'Role');
    expect(set).toMatchObject({ code: 0, stdout: 'contact.job_title reads as "Role"\n' });
    const show = await segmata('schema', 'show');
    expect(show.stdout).toMatch(/job_title\s+string\s+yes\s+default\s+Role/);
    expect(show.stdout).toMatch(/email_open\s+yes\s+standard\s+Email opened/);
    expect(show.stdout).toMatch(/contact\.account\s+contact\.account_id\s+account\s+Account/);
    expect((await segmata('schema', 'set-label', 'contact', 'job_title', '--reset')).stdout).toBe('contact.job_title reads as "Job title"\n');
    const bad = await segmata('schema', 'set-label', 'contact', 'nope', 'X');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown attribute or relation "nope" of contact');
    expect((await segmata('schema', 'set-label', 'contact', 'email')).stderr).toContain('give a LABEL, or --reset');
  });
});
