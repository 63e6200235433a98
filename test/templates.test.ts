import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.js';
import { getTemplate, instantiateTemplate, listTemplates } from '../src/engine/templates/index.js';
import { resolveParams } from '../src/engine/templates/params.js';
import { SegmataError } from '../src/errors.js';
import { memoryEngine } from './helpers/engine.js';
import { evaluate, seed } from './helpers/seed.js';

// TEST_NOW is 2024-06-01T12:00:00Z.
const daysAgo = (d: number): string => new Date(Date.parse('2024-06-01T12:00:00Z') - d * 86_400_000).toISOString();

function errorOf(fn: () => unknown): SegmataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SegmataError) return e;
    throw e;
  }
  throw new Error('expected a SegmataError');
}

describe('template catalog', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryEngine();
  });
  afterAll(async () => engine.close());

  it('ships at least 12 templates with unique slugs, descriptions and described parameters', () => {
    const all = listTemplates();
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.map((t) => t.name)).size).toBe(all.length);
    for (const t of all) {
      expect(t.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(0);
      for (const p of t.params) expect(p.description.length, `${t.name}.${p.name}`).toBeGreaterThan(0);
    }
  });

  it('includes the templates the product we replace ships', () => {
    const names = listTemplates().map((t) => t.name);
    for (const n of [
      'contacts-in-state', 'contacts-in-city', 'industry-contacts', 'email-openers', 'email-clickers', 'event-registrants',
      'form-submitters', 'unengaged', 'new-contacts', 'high-score', 'consented-contacts', 'birthdays-this-month',
      'engaged-not-registered',
    ]) {
      expect(names).toContain(n);
    }
  });

  it.each(listTemplates().map((t) => [t.name]))('%s instantiates with its defaults, validates and evaluates', async (name) => {
    const def = instantiateTemplate(name, {});
    expect(def.type).toBe('dynamic');
    expect(def.id).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
    const estimate = await engine.segments.estimate(def);
    expect(estimate.total).toBe(0);
    const saved = await engine.segments.create(def);
    expect(saved.status).toBe('draft');
    await engine.segments.delete(saved.id);
  });

  it('applies given parameters and overrides', () => {
    const def = instantiateTemplate('email-openers', { days: '7', campaign_id: 'spring' }, { id: 'my-openers', name: 'My openers' });
    expect(def.id).toBe('my-openers');
    expect(def.name).toBe('My openers');
    expect(def.query?.blocks[0]).toEqual({
      kind: 'behavioral',
      interaction: 'email_open',
      where: { attr: 'campaign_id', op: 'eq', value: 'spring' },
      window: { last: { amount: 7, unit: 'days' } },
    });
    expect(instantiateTemplate('contacts-in-countries', { countries: ' US, MX ,' }).query?.blocks[0]).toEqual({
      kind: 'profile',
      where: { attr: 'country', op: 'in', value: ['US', 'MX'] },
    });
  });

  it('derives the id from the generated name', () => {
    expect(instantiateTemplate('contacts-in-state', { state: 'NV' }).id).toBe('contacts-in-nv');
  });
});

describe('template parameter errors', () => {
  it('unknown template lists the names', () => {
    const e = errorOf(() => getTemplate('nope'));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('contacts-in-state');
  });

  it('unknown parameter names it and the known ones', () => {
    const e = errorOf(() => instantiateTemplate('high-score', { minimum: '5' }));
    expect(e.code).toBe('invalid_argument');
    expect(e.issues[0]?.path).toBe('params.minimum');
    expect(e.message).toContain('unknown parameter "minimum"');
    expect(e.message).toContain('min_score');
  });

  it('not a number / not a whole number / below the minimum', () => {
    expect(errorOf(() => instantiateTemplate('high-score', { min_score: 'high' })).message).toContain('parameter "min_score": expected a number, got "high"');
    expect(errorOf(() => instantiateTemplate('email-openers', { days: '2.5' })).message).toContain('parameter "days": expected a whole number');
    expect(errorOf(() => instantiateTemplate('email-openers', { days: '0' })).message).toContain('parameter "days": must be at least 1');
  });

  it('bad date', () => {
    const e = errorOf(() => instantiateTemplate('contacts-created-since', { from: '2024-02-30' }));
    expect(e.code).toBe('invalid_argument');
    expect(e.issues.map((i) => i.path)).toEqual(['params.from']);
    expect(e.message).toContain('expected an ISO 8601 date');
  });

  it('bad segment id', () => {
    expect(errorOf(() => instantiateTemplate('engaged-not-registered', { exclude_segment: 'Not An Id' })).message).toContain('parameter "exclude_segment": expected a segment id');
  });

  it('missing required value when there is no default, and every problem at once', () => {
    const t = getTemplate('high-score');
    const bare = { ...t, params: t.params.map((p) => ({ ...p, default: undefined })) };
    const missing = errorOf(() => resolveParams(bare, {}));
    expect(missing.code).toBe('invalid_argument');
    expect(missing.message).toContain('parameter "min_score" is required');
    expect(() => bare.build({})).toThrow(/parameter "min_score" is required/);
    const e = errorOf(() => instantiateTemplate('bounced-emails', { days: 'x', min_bounces: '0', extra: '1' }));
    expect(e.issues.map((i) => i.path).sort()).toEqual(['params.days', 'params.extra', 'params.min_bounces']);
  });

  it('an empty value falls back to the default', () => {
    expect(instantiateTemplate('high-score', { min_score: '' }).query?.blocks[0]).toEqual({
      kind: 'profile',
      where: { attr: 'score', op: 'gte', value: 70 },
    });
  });
});

describe('templates select the right contacts', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, {
      accounts: [
        { id: 'a1', name: 'Soft', industry: 'Software', employees: 2000 },
        { id: 'a2', name: 'Mill', industry: 'Manufacturing', employees: 50 },
      ],
      contacts: [
        { id: 'c1', state: 'AZ', city: 'Phoenix', account_id: 'a1', score: 80, email: 'a@x.com', email_consent: true, birthdate: '1990-06-15', created_at: daysAgo(3) },
        { id: 'c2', state: 'AZ', city: 'Tucson', account_id: 'a2', score: 70, email: '', email_consent: true, birthdate: '1985-05-31', created_at: daysAgo(400) },
        { id: 'c3', state: 'CA', city: 'Phoenix', account_id: 'a9', score: 69.5, email: 'c@x.com', email_consent: false, birthdate: '1970-06-01', created_at: daysAgo(31) },
        { id: 'c4', state: 'az', account_id: null, email: 'd@x.com', email_consent: true },
      ],
      interactions: [
        { contact_id: 'c1', type: 'email_open', occurred_at: daysAgo(1) },
        { contact_id: 'c2', type: 'email_open', occurred_at: daysAgo(45) },
        { contact_id: 'c3', type: 'email_click', occurred_at: daysAgo(2), link_url: 'https://x.com/Pricing?u=1' },
        { contact_id: 'c1', type: 'event_registration', occurred_at: daysAgo(10), event_id: 'e1' },
        { contact_id: 'c1', type: 'event_checkin', occurred_at: daysAgo(5), event_id: 'e1' },
        { contact_id: 'c2', type: 'event_registration', occurred_at: daysAgo(10), event_id: 'e1' },
        { contact_id: 'c2', type: 'event_checkin', occurred_at: daysAgo(5), event_id: 'e2' },
        { contact_id: 'c4', type: 'email_open', occurred_at: daysAgo(-1) }, // after now: never counted
      ],
    });
  });
  afterAll(async () => engine.close());

  const members = async (name: string, params: Record<string, string> = {}): Promise<string[]> =>
    evaluate(engine, instantiateTemplate(name, params).query!);

  it('state and city compare exactly', async () => {
    expect(await members('contacts-in-state', { state: 'AZ' })).toEqual(['c1', 'c2']);
    expect(await members('contacts-in-city', { city: 'Phoenix' })).toEqual(['c1', 'c3']);
    expect(await members('contacts-in-city', { city: 'Phoenix', state: 'AZ' })).toEqual(['c1']);
  });

  it('industry and account size go through the account', async () => {
    expect(await members('industry-contacts', { industry: 'Software' })).toEqual(['c1']);
    expect(await members('large-accounts', { min_employees: '50' })).toEqual(['c1', 'c2']);
  });

  it('high score, consent, new contacts and birthdays this month', async () => {
    expect(await members('high-score', { min_score: '70' })).toEqual(['c1', 'c2']);
    expect(await members('consented-contacts')).toEqual(['c1', 'c4']);
    expect(await members('new-contacts', { days: '30' })).toEqual(['c1']);
    expect(await members('birthdays-this-month')).toEqual(['c1', 'c3']);
  });

  it('openers, clickers and the unengaged (count that admits zero)', async () => {
    expect(await members('email-openers', { days: '30' })).toEqual(['c1']);
    expect(await members('email-openers', { days: '60' })).toEqual(['c1', 'c2']);
    expect(await members('email-clickers', { link_contains: '/pricing' })).toEqual(['c3']);
    expect(await members('unengaged', { days: '30' })).toEqual(['c2', 'c3', 'c4']);
  });

  it('event no-shows match the check-in to the same event', async () => {
    expect(await members('event-registrants')).toEqual(['c1', 'c2']);
    expect(await members('event-no-shows', { event_id: 'e1' })).toEqual(['c2']);
    expect(await members('event-no-shows')).toEqual([]);
  });

  it('engaged but not registered', async () => {
    expect(await members('engaged-not-registered', { days: '30' })).toEqual(['c3']);
    expect(await members('engaged-not-registered', { days: '60', event_id: 'e2' })).toEqual(['c1', 'c2', 'c3']);
  });
});
