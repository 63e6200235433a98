import { describe, expect, it } from 'vitest';
import { DEFAULT_LABELS, defaultLabel, labelFromName, makeLabels, normaliseLabel, pathLabel } from './labels.js';
import { STANDARD_INTERACTION_TYPES } from './defaults.js';

describe('display labels', () => {
  it('derive a readable default from a name', () => {
    expect(labelFromName('job_title')).toBe('Job title');
    expect(labelFromName('campaign_id')).toBe('Campaign ID');
    expect(labelFromName('page_url')).toBe('Page URL');
    expect(labelFromName('score')).toBe('Score');
    expect(labelFromName('a__b_')).toBe('A b');
  });

  it('read the standard interaction types as events', () => {
    expect(defaultLabel('interaction_type', 'email_open')).toBe('Email opened');
    expect(defaultLabel('interaction_type', 'email_unsubscribe')).toBe('Unsubscribed from email');
    expect(defaultLabel('interaction_type', 'event_checkin')).toBe('Event check-in');
    expect(defaultLabel('interaction_type', 'webinar_view')).toBe('Webinar view');
    // Every standard type has a hand-written label, distinct from the others.
    const labels = STANDARD_INTERACTION_TYPES.map((t) => defaultLabel('interaction_type', t.name));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual([
      'Email sent', 'Email delivered', 'Email opened', 'Email clicked', 'Email bounced', 'Unsubscribed from email',
      'Form visited', 'Form submitted', 'Event registration', 'Event check-in', 'Website visit',
    ]);
  });

  it('label a path hop by hop, through the relation\'s label', () => {
    expect(pathLabel(DEFAULT_LABELS, 'contact', 'account.industry')).toBe('Account › Industry');
    const labels = makeLabels([
      { entity: 'contact', name: 'account', label: 'Company' },
      { entity: 'account', name: 'industry', label: 'Sector' },
    ]);
    expect(pathLabel(labels, 'contact', 'account.industry')).toBe('Company › Sector');
    expect(pathLabel(labels, 'contact', 'job_title')).toBe('Job title');
    // A hop that is not a relation (validation refuses it) still reads, in its own words.
    expect(pathLabel(labels, 'contact', 'nowhere.thing')).toBe('Nowhere › Thing');
  });

  it('name segments by their names when known, by their ids otherwise', () => {
    const labels = makeLabels([], new Map([['vip', 'VIP customers']]));
    expect(labels.segment('vip')).toBe('VIP customers');
    expect(labels.segment('other')).toBe('other');
  });

  it('accept a label trimmed, an empty one as "the default", and refuse control characters and overlong text', () => {
    expect(normaliseLabel('  Role ')).toEqual({ label: 'Role' });
    expect(normaliseLabel('   ')).toEqual({ label: null });
    expect(normaliseLabel('a\nb')).toHaveProperty('reason');
    expect(normaliseLabel('x'.repeat(101))).toHaveProperty('reason');
  });
});
