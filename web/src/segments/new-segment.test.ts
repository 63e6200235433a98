import { describe, expect, it } from 'vitest';
import { idFromName as slugOf } from '../../../src/definition/id.js';
import { initialValue, missingParams, paramsToSend, type TemplateParam } from './templates';

describe('a new segment id from its name', () => {
  it('is lower-case words joined by dashes, accents dropped, within the API id pattern', () => {
    expect(slugOf('Arizona openers — last 30 days')).toBe('arizona-openers-last-30-days');
    expect(slugOf('  Événements à Zürich  ')).toBe('evenements-a-zurich');
    expect(slugOf('!!!')).toBe('segment');
    const long = slugOf('a'.repeat(40) + ' ' + 'b'.repeat(40));
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
    expect(long.endsWith('-')).toBe(false);
  });
});

describe('template parameters in the form', () => {
  const params: TemplateParam[] = [
    { name: 'state', label: 'State', type: 'string', default: 'AZ', required: true },
    { name: 'countries', label: 'Countries', type: 'string[]', default: ['US', 'CA'], required: true },
    { name: 'city', label: 'City', type: 'string', required: false },
  ];

  it('start from their defaults, lists comma-separated', () => {
    expect(params.map(initialValue)).toEqual(['AZ', 'US,CA', '']);
  });

  it('are sent trimmed, empty optional ones left out, and required empty ones named', () => {
    const values = { state: ' TX ', countries: 'US', city: '  ' };
    expect(paramsToSend(params, values)).toEqual({ state: 'TX', countries: 'US' });
    expect(missingParams(params, { ...values, state: '' })).toEqual(['state']);
  });
});
