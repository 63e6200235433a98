import type { SegmentDefinition } from '../../definition/ast.js';
import { contactId } from './entities.js';

const last = (days: number) => ({ last: { amount: days, unit: 'days' as const } });

/**
 * Ready segments that make sense on the generated data, in dependency order (a compound
 * segment comes after the segments it reads; create them in this order and take the
 * dynamic ones live in the same order). `contacts` is the generated contact count: the
 * static segment only names contacts that exist.
 */
export function demoSegments(contacts = 10): SegmentDefinition[] {
  const vip = Array.from({ length: Math.min(5, contacts) }, (_, i) => contactId(i));
  return [
    {
      id: 'arizona-contacts',
      name: 'Contacts in Arizona',
      description: 'Every contact whose state is AZ.',
      type: 'dynamic',
      query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] },
    },
    {
      id: 'software-openers-30d',
      name: 'Software people who opened an email in the last 30 days',
      description: 'Contacts of Software accounts with at least one email open in the last 30 days.',
      type: 'dynamic',
      query: {
        blocks: [
          { kind: 'profile', where: { attr: 'account.industry', op: 'eq', value: 'Software' } },
          { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: last(30), count: { op: 'gte', value: 1 } },
        ],
      },
    },
    {
      id: 'unengaged-90d',
      name: 'Unengaged: no email open in 90 days',
      description: 'Consented contacts who have not opened any email in the last 90 days (including those who never did).',
      type: 'dynamic',
      query: {
        blocks: [
          { kind: 'profile', where: { attr: 'email_consent', op: 'eq', value: true } },
          { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: last(90), count: { op: 'eq', value: 0 } },
        ],
      },
    },
    {
      id: 'event-no-shows',
      name: 'Registered for an event but never checked in',
      description: 'Contacts with an event registration and no event check-in at all.',
      type: 'dynamic',
      query: {
        blocks: [
          { kind: 'behavioral', interaction: 'event_registration' },
          { relation: 'but_not', kind: 'behavioral', interaction: 'event_checkin' },
        ],
      },
    },
    {
      id: 'arizona-software-openers',
      name: 'Arizona software people who opened an email',
      description: 'Compound: members of both "arizona-contacts" and "software-openers-30d".',
      type: 'compound',
      query: {
        blocks: [
          { kind: 'segment', segment: 'arizona-contacts' },
          { relation: 'and_also', kind: 'segment', segment: 'software-openers-30d' },
        ],
      },
    },
    {
      id: 'vip-contacts',
      name: 'VIP contacts',
      description: 'A hand-picked (static) list.',
      type: 'static',
      members: vip,
    },
  ];
}
