/**
 * Display labels: the words a marketer reads instead of a column name ("Job title" for
 * `job_title`, "Email opened" for `email_open`, "Account › Industry" for `account.industry`).
 * Labels only change how things read; definitions, imports and the API keep using names.
 *
 * Pure functions with no Node dependency: the web UI renders with the same defaults.
 */
import { RELATIONS } from './defaults.js';
import type { RecordKind, RelationDef } from './types.js';

/** What a label belongs to: an attribute or relation of an entity, or an interaction type. */
export type LabelOwner = RecordKind | 'interaction_type';
export const LABEL_OWNERS: readonly LabelOwner[] = ['contact', 'account', 'lead', 'interaction', 'interaction_type'];

/** A label an admin set; everything without one reads under its default. */
export interface LabelDef {
  entity: LabelOwner;
  name: string;
  label: string;
}

/** Long enough for any heading, short enough for a picker. */
export const LABEL_MAX_LENGTH = 100;

/** The separator between the hops of a path: "Account › Industry". */
export const PATH_SEPARATOR = ' › ';

/**
 * The standard interaction types read as events, not as column names: `email_open` is
 * "Email opened", not "Email open".
 */
const STANDARD_TYPE_LABELS: Readonly<Record<string, string>> = {
  email_sent: 'Email sent',
  email_delivered: 'Email delivered',
  email_open: 'Email opened',
  email_click: 'Email clicked',
  email_bounce: 'Email bounced',
  email_unsubscribe: 'Unsubscribed from email',
  form_visit: 'Form visited',
  form_submit: 'Form submitted',
  event_registration: 'Event registration',
  event_checkin: 'Event check-in',
  website_visit: 'Website visit',
};

/** Words that read as abbreviations rather than as words: `campaign_id` → "Campaign ID". */
const UPPER_WORDS = new Set(['id', 'url', 'ip', 'crm', 'utm', 'sms']);

/** `job_title` → "Job title", `page_url` → "Page URL", `created_at` → "Created at". */
export function labelFromName(name: string): string {
  const words = name.split('_').filter((w) => w !== '').map((w) => (UPPER_WORDS.has(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function defaultLabel(entity: LabelOwner, name: string): string {
  if (entity === 'interaction_type') return STANDARD_TYPE_LABELS[name] ?? labelFromName(name);
  return labelFromName(name);
}

/**
 * A label as given by a user: surrounding blanks dropped; empty means "back to the default".
 * Returns a reason when it cannot be a label.
 */
export function normaliseLabel(text: string): { label: string | null } | { reason: string } {
  const label = text.trim();
  if (label === '') return { label: null };
  if (label.length > LABEL_MAX_LENGTH) return { reason: `a label is at most ${LABEL_MAX_LENGTH} characters (got ${label.length})` };
  if (/[\u0000-\u001f\u007f]/.test(label)) return { reason: 'a label cannot contain control characters (line breaks, tabs)' };
  return { label };
}

/** How names read: what describe.ts and the UI ask for every name they show. */
export interface Labels {
  /** An attribute (or interaction property, entity `interaction`) or a relation of an entity. */
  of(entity: LabelOwner, name: string): string;
  /** A segment's name, given its id. */
  segment(id: string): string;
}

/** Labels from a list of the ones set (the rest default), and segment names by id. */
export function makeLabels(set: readonly LabelDef[] = [], segmentNames: ReadonlyMap<string, string> = new Map()): Labels {
  const byKey = new Map(set.map((l) => [`${l.entity}\u0000${l.name}`, l.label]));
  return {
    of: (entity, name) => byKey.get(`${entity}\u0000${name}`) ?? defaultLabel(entity, name),
    segment: (id) => segmentNames.get(id) ?? id,
  };
}

/** Every name under its default label; segments under their ids. */
export const DEFAULT_LABELS: Labels = makeLabels();

/**
 * An attribute path from `start`, each hop under its relation's label: `account.industry` →
 * "Account › Industry". A hop that is not a relation keeps its own words (validation reports it).
 */
export function pathLabel(labels: Labels, start: RecordKind, path: string): string {
  const parts = path.split('.');
  const out: string[] = [];
  let kind: RecordKind | undefined = start;
  for (const part of parts.slice(0, -1)) {
    const rel: RelationDef | undefined = kind === undefined ? undefined : RELATIONS.find((r) => r.from === kind && r.name === part);
    out.push(rel ? labels.of(rel.from, rel.name) : labelFromName(part));
    kind = rel?.to;
  }
  const last = parts[parts.length - 1] ?? '';
  out.push(kind === undefined ? labelFromName(last) : labels.of(kind, last));
  return out.join(PATH_SEPARATOR);
}
