import { allOf, cmp, daysParam, dynamic, profile } from '../blocks.js';
import { optional, required } from '../params.js';
import type { Template } from '../types.js';

/** Templates on contact and account attributes. */
export const PROFILE_TEMPLATES: readonly Template[] = [
  {
    name: 'contacts-in-state',
    title: 'Contacts in a state',
    description: 'Contacts whose state is the given code (e.g. AZ).',
    category: 'profile',
    params: [{ name: 'state', label: 'State', type: 'string', default: 'AZ', required: true, description: 'state or province code, exactly as stored (e.g. AZ)' }],
    build(p) {
      const state = required.text(p, 'state');
      return dynamic(`Contacts in ${state}`, [profile(cmp('state', 'eq', state))]);
    },
  },
  {
    name: 'contacts-in-city',
    title: 'Contacts in a city',
    description: 'Contacts in the given city, optionally only in the given state (many cities share a name).',
    category: 'profile',
    params: [
      { name: 'city', label: 'City', type: 'string', default: 'Phoenix', required: true, description: 'city name, exactly as stored' },
      { name: 'state', label: 'State', type: 'string', required: false, description: 'state code to tell same-named cities apart' },
    ],
    build(p) {
      const city = required.text(p, 'city');
      const state = optional.text(p, 'state');
      const where = allOf([cmp('city', 'eq', city), ...(state ? [cmp('state', 'eq', state)] : [])]);
      const place = state ? `${city}, ${state}` : city;
      return dynamic(`Contacts in ${place}`, [profile(where)]);
    },
  },
  {
    name: 'contacts-in-countries',
    title: 'Contacts in countries',
    description: 'Contacts whose country is one of the given codes.',
    category: 'profile',
    params: [{ name: 'countries', label: 'Countries', type: 'string[]', default: ['US', 'CA'], required: true, description: 'comma-separated country codes (e.g. US,CA)' }],
    build(p) {
      const countries = required.list(p, 'countries');
      return dynamic(`Contacts in ${countries.join(', ')}`, [
        profile(cmp('country', 'in', countries)),
      ]);
    },
  },
  {
    name: 'industry-contacts',
    title: 'Contacts of accounts in an industry',
    description: 'Contacts whose account is in the given industry.',
    category: 'account',
    params: [{ name: 'industry', label: 'Industry', type: 'string', default: 'Software', required: true, description: 'account industry, exactly as stored (e.g. Software)' }],
    build(p) {
      const industry = required.text(p, 'industry');
      return dynamic(`${industry} contacts`, [profile(cmp('account.industry', 'eq', industry))]);
    },
  },
  {
    name: 'large-accounts',
    title: 'Contacts of large accounts',
    description: 'Contacts whose account has at least the given number of employees.',
    category: 'account',
    params: [{ name: 'min_employees', label: 'Minimum employees', type: 'integer', default: 1000, required: true, min: 0, description: 'smallest account head count' }],
    build(p) {
      const n = required.number(p, 'min_employees');
      return dynamic(`Contacts of accounts with ${n}+ employees`, [
        profile(cmp('account.employees', 'gte', n)),
      ]);
    },
  },
  {
    name: 'new-contacts',
    title: 'New contacts',
    description: 'Contacts created in the last N days.',
    category: 'lifecycle',
    params: [daysParam(30, 'new contacts')],
    build(p) {
      const days = required.number(p, 'days');
      return dynamic(`New contacts (last ${days} days)`, [
        profile(cmp('created_at', 'in_last', { amount: days, unit: 'days' })),
      ]);
    },
  },
  {
    name: 'contacts-created-since',
    title: 'Contacts created since a date',
    description: 'Contacts created on or after a date, optionally up to another date (inclusive).',
    category: 'lifecycle',
    params: [
      { name: 'from', label: 'From', type: 'date', default: '2024-01-01', required: true, description: 'first day (ISO date, e.g. 2024-01-01)' },
      { name: 'to', label: 'To', type: 'date', required: false, description: 'last instant (ISO date or date-time); open-ended if absent' },
    ],
    build(p) {
      const from = required.text(p, 'from');
      const to = optional.text(p, 'to');
      const where = to ? cmp('created_at', 'between', [from, to]) : cmp('created_at', 'gte', from);
      const span = to ? `between ${from} and ${to}` : `since ${from}`;
      return dynamic(`Contacts created ${span}`, [profile(where)]);
    },
  },
  {
    name: 'high-score',
    title: 'High score',
    description: 'Contacts whose score is at least the given value.',
    category: 'lifecycle',
    params: [{ name: 'min_score', label: 'Minimum score', type: 'number', default: 70, required: true, description: 'lowest score to include' }],
    build(p) {
      const min = required.number(p, 'min_score');
      return dynamic(`Score ${min} or more`, [profile(cmp('score', 'gte', min))]);
    },
  },
  {
    name: 'consented-contacts',
    title: 'Consented contacts',
    description: 'Contacts who agreed to receive email and have an email address: the safe audience for a send.',
    category: 'email',
    params: [],
    build() {
      return dynamic('Consented contacts', [
        profile(allOf([cmp('email_consent', 'eq', true), cmp('email', 'is_not_empty')])),
      ]);
    },
  },
  {
    name: 'birthdays-this-month',
    title: 'Birthdays this month',
    description: 'Contacts whose birthday falls in the current month (re-evaluated as months pass).',
    category: 'profile',
    params: [],
    build() {
      return dynamic('Birthdays this month', [profile(cmp('birthdate', 'in_month', 'current'))]);
    },
  },
];
