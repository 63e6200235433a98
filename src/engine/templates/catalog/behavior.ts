import type { Block } from '../../../definition/ast.js';
import { behavioral, cmp, daysParam, dynamic, joined, lastDays, propertyIs } from '../blocks.js';
import { optional, required } from '../params.js';
import type { Template, TemplateParam } from '../types.js';

const eventParam: TemplateParam = {
  name: 'event_id', label: 'Event', type: 'string', required: false, description: 'one event id; any event if absent',
};

/** "event evt-1" or "an event", for names. */
const eventText = (id: string | undefined): string => (id ? `event ${id}` : 'an event');

/** Templates on interactions (emails, events, forms, the website). */
export const BEHAVIOR_TEMPLATES: readonly Template[] = [
  {
    name: 'email-openers',
    title: 'Opened an email',
    description: 'Contacts who opened at least one email in the last N days, optionally of one campaign.',
    category: 'email',
    params: [
      daysParam(30, 'opens'),
      { name: 'campaign_id', label: 'Campaign', type: 'string', required: false, description: 'one campaign id; any campaign if absent' },
    ],
    build(p) {
      const days = required.number(p, 'days');
      const campaign = optional.text(p, 'campaign_id');
      return dynamic(`Opened an email in the last ${days} days${campaign ? ` (${campaign})` : ''}`, [
        behavioral('email_open', { ...propertyIs('campaign_id', campaign), window: lastDays(days) }),
      ]);
    },
  },
  {
    name: 'email-clickers',
    title: 'Clicked an email',
    description: 'Contacts who clicked a link in an email in the last N days, optionally a link containing some text.',
    category: 'email',
    params: [
      daysParam(30, 'clicks'),
      { name: 'link_contains', label: 'Link contains', type: 'string', required: false, description: 'part of the clicked URL (case-insensitive), e.g. /pricing' },
    ],
    build(p) {
      const days = required.number(p, 'days');
      const link = optional.text(p, 'link_contains');
      return dynamic(`Clicked an email in the last ${days} days${link ? ` (${link})` : ''}`, [
        behavioral('email_click', { ...(link ? { where: cmp('link_url', 'contains', link) } : {}), window: lastDays(days) }),
      ]);
    },
  },
  {
    name: 'unengaged',
    title: 'Unengaged',
    description: 'Contacts with no email open in the last N days, including those who never opened one.',
    category: 'email',
    params: [daysParam(90, 'opens')],
    build(p) {
      const days = required.number(p, 'days');
      return dynamic(`No email open in ${days} days`, [
        behavioral('email_open', { window: lastDays(days), count: { op: 'eq', value: 0 } }),
      ]);
    },
  },
  {
    name: 'bounced-emails',
    title: 'Bounced emails',
    description: 'Contacts with at least the given number of email bounces in the last N days: addresses to clean up.',
    category: 'email',
    params: [
      daysParam(90, 'bounces'),
      { name: 'min_bounces', label: 'Minimum bounces', type: 'integer', default: 1, required: true, min: 1, description: 'how many bounces at least' },
    ],
    build(p) {
      const days = required.number(p, 'days');
      const min = required.number(p, 'min_bounces');
      return dynamic(`Bounced ${min}+ times in ${days} days`, [
        behavioral('email_bounce', { window: lastDays(days), count: { op: 'gte', value: min } }),
      ]);
    },
  },
  {
    name: 'unsubscribed',
    title: 'Unsubscribed',
    description: 'Contacts who ever unsubscribed from an email: exclude them from sends.',
    category: 'email',
    params: [],
    build() {
      return dynamic('Unsubscribed', [behavioral('email_unsubscribe')]);
    },
  },
  {
    name: 'event-registrants',
    title: 'Registered for an event',
    description: 'Contacts who registered for an event (one event, or any).',
    category: 'events',
    params: [eventParam],
    build(p) {
      const event = optional.text(p, 'event_id');
      return dynamic(`Registered for ${eventText(event)}`, [
        behavioral('event_registration', propertyIs('event_id', event)),
      ]);
    },
  },
  {
    name: 'event-no-shows',
    title: 'Registered but did not check in',
    description: 'Contacts who registered for an event (one, or any) but never checked in to it.',
    category: 'events',
    params: [eventParam],
    build(p) {
      const event = optional.text(p, 'event_id');
      return dynamic(`Registered for ${eventText(event)} but did not check in`, [
        behavioral('event_registration', propertyIs('event_id', event)),
        joined('but_not', behavioral('event_checkin', propertyIs('event_id', event))),
      ]);
    },
  },
  {
    name: 'form-submitters',
    title: 'Submitted a form',
    description: 'Contacts who submitted a form (one, or any) in the last N days.',
    category: 'web',
    params: [daysParam(30, 'form submissions'), { name: 'form_id', label: 'Form', type: 'string', required: false, description: 'one form id; any form if absent' }],
    build(p) {
      const days = required.number(p, 'days');
      const form = optional.text(p, 'form_id');
      return dynamic(`Submitted ${form ? `form ${form}` : 'a form'} in the last ${days} days`, [
        behavioral('form_submit', { ...propertyIs('form_id', form), window: lastDays(days) }),
      ]);
    },
  },
  {
    name: 'website-visitors',
    title: 'Visitors of a page',
    description: 'Contacts who visited a page whose URL contains the given text in the last N days.',
    category: 'web',
    params: [
      { name: 'url_contains', label: 'URL contains', type: 'string', default: '/pricing', required: true, description: 'part of the page URL (case-insensitive)' },
      daysParam(30, 'visits'),
    ],
    build(p) {
      const url = required.text(p, 'url_contains');
      const days = required.number(p, 'days');
      return dynamic(`Visited ${url} in the last ${days} days`, [
        behavioral('website_visit', { where: cmp('page_url', 'contains', url), window: lastDays(days) }),
      ]);
    },
  },
  {
    name: 'frequent-activity',
    title: 'Frequent activity',
    description: 'Contacts with at least N interactions of one type in the last N days (e.g. 3 website visits in 30 days).',
    category: 'web',
    params: [
      { name: 'interaction', label: 'Interaction type', type: 'interaction_type', default: 'website_visit', required: true, description: 'which interaction type to count' },
      { name: 'min_count', label: 'At least', type: 'integer', default: 3, required: true, min: 1, description: 'how many interactions at least' },
      daysParam(30, 'interactions'),
    ],
    build(p) {
      const type = required.text(p, 'interaction');
      const min = required.number(p, 'min_count');
      const days = required.number(p, 'days');
      return dynamic(`${min}+ ${type} in ${days} days`, [
        behavioral(type, { window: lastDays(days), count: { op: 'gte', value: min } }),
      ]);
    },
  },
  {
    name: 'engaged-not-registered',
    title: 'Engaged but not registered',
    description: 'Contacts who opened or clicked an email in the last N days but have not registered for an event (one, or any): the invitation audience.',
    category: 'events',
    params: [
      daysParam(30, 'opens and clicks'),
      eventParam,
      { name: 'exclude_segment', label: 'Also exclude segment', type: 'segment', required: false, description: 'members of this segment are left out too' },
    ],
    build(p) {
      const days = required.number(p, 'days');
      const event = optional.text(p, 'event_id');
      const exclude = optional.text(p, 'exclude_segment');
      const blocks: Block[] = [
        behavioral('email_open', { window: lastDays(days) }),
        joined('or', behavioral('email_click', { window: lastDays(days) })),
        joined('but_not', behavioral('event_registration', propertyIs('event_id', event))),
      ];
      if (exclude) blocks.push(joined('but_not', { kind: 'segment', segment: exclude }));
      return dynamic(`Engaged in ${days} days, not registered for ${eventText(event)}`, blocks);
    },
  },
];
