import type { AttributeDef, AttributeType, InteractionTypeDef, RecordKind, RelationDef } from './types.js';

const attrs = (entity: RecordKind, spec: Record<string, AttributeType>): AttributeDef[] =>
  Object.entries(spec).map(([name, type]) => ({ entity, name, type, queryable: true, builtin: true }));

/** SPEC §1 default schema. `id` is implicit on every entity and not listed. */
export const DEFAULT_ATTRIBUTES: readonly AttributeDef[] = [
  ...attrs('contact', {
    first_name: 'string',
    last_name: 'string',
    email: 'string',
    phone: 'string',
    job_title: 'string',
    city: 'string',
    state: 'string',
    country: 'string',
    birthdate: 'date',
    created_at: 'datetime',
    score: 'number',
    email_consent: 'boolean',
    account_id: 'string',
  }),
  ...attrs('account', {
    name: 'string',
    industry: 'string',
    city: 'string',
    state: 'string',
    country: 'string',
    employees: 'number',
    revenue: 'number',
    created_at: 'datetime',
  }),
  ...attrs('lead', {
    topic: 'string',
    status: 'string',
    source: 'string',
    rating: 'number',
    created_at: 'datetime',
    contact_id: 'string',
    account_id: 'string',
  }),
  ...attrs('interaction', {
    campaign_id: 'string',
    email_id: 'string',
    link_url: 'string',
    form_id: 'string',
    event_id: 'string',
    page_url: 'string',
  }),
];

export const STANDARD_INTERACTION_TYPES: readonly InteractionTypeDef[] = [
  'email_sent',
  'email_delivered',
  'email_open',
  'email_click',
  'email_bounce',
  'email_unsubscribe',
  'form_visit',
  'form_submit',
  'event_registration',
  'event_checkin',
  'website_visit',
].map((name) => ({ name, queryable: true, builtin: true }));

/** Many-to-one relations (SPEC §1). Segment conditions start at `contact`. */
export const RELATIONS: readonly RelationDef[] = [
  { from: 'contact', name: 'account', via: 'account_id', to: 'account' },
  { from: 'lead', name: 'contact', via: 'contact_id', to: 'contact' },
  { from: 'lead', name: 'account', via: 'account_id', to: 'account' },
];

/** Physical table per record kind. Identifiers in SQL come only from here and the registry. */
export const TABLES: Readonly<Record<RecordKind, string>> = {
  contact: 'contacts',
  account: 'accounts',
  lead: 'leads',
  interaction: 'interactions',
};
