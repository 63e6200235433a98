import { csvField, type CsvWriter } from './csv-writer.js';
import { IndexPicker, Random, WeightedPicker } from './random.js';
import {
  COMPANY_WORDS_A, COMPANY_WORDS_B, FIRST_NAMES, FREE_MAIL_DOMAINS, INDUSTRIES, JOB_TITLES, LAST_NAMES,
  LEAD_SOURCE_WEIGHTS, LEAD_SOURCES, LEAD_STATUS_WEIGHTS, LEAD_STATUSES, LEAD_TOPICS, OTHER_PLACES, US_PLACES,
  type Place,
} from './vocab.js';

/** Flush the written chunk; `done` is the number of rows of this file written so far. */
export type Tick = (done: number) => Promise<void>;

export const DAY_MS = 86_400_000;
export const YEAR_MS = 365 * DAY_MS;

/** Deterministic, readable ids: the n-th record (0-based) of each kind. */
export const accountId = (i: number): string => `a${String(i + 1).padStart(5, '0')}`;
export const contactId = (i: number): string => `c${String(i + 1).padStart(6, '0')}`;
export const leadId = (i: number): string => `l${String(i + 1).padStart(6, '0')}`;

export const ACCOUNT_COLUMNS = ['id', 'name', 'industry', 'city', 'state', 'country', 'employees', 'revenue', 'created_at'];
export const CONTACT_COLUMNS = [
  'id', 'first_name', 'last_name', 'email', 'phone', 'job_title', 'city', 'state', 'country',
  'birthdate', 'created_at', 'score', 'email_consent', 'account_id',
];
export const LEAD_COLUMNS = ['id', 'topic', 'status', 'source', 'rating', 'created_at', 'contact_id', 'account_id'];

/** What later files need to know about the accounts, in flat arrays (memory stays small). */
export interface AccountFacts {
  domain: string[];
  place: Uint16Array;
  /** Relative chance that a contact works here (bigger companies have more contacts). */
  contactWeight: number[];
}

/** What the leads and interactions need to know about the contacts. */
export interface ContactFacts {
  /** Account index, or -1 for a contact without an account. */
  account: Int32Array;
  createdAt: Float64Array;
  consent: Uint8Array;
  /** 0..1, heavily skewed: a few contacts are very engaged, most barely. */
  engagement: Float32Array;
}

/** Every place, US first; about nine records in ten land in the US. */
export const PLACES: readonly Place[] = [...US_PLACES, ...OTHER_PLACES];
const US_SHARE = 0.9;
const usWeight = US_PLACES.reduce((s, p) => s + p.weight, 0);
const otherWeight = OTHER_PLACES.reduce((s, p) => s + p.weight, 0);
const placePicker = new IndexPicker(
  PLACES.map((p) => (p.country === 'US' ? (p.weight / usWeight) * US_SHARE : (p.weight / otherWeight) * (1 - US_SHARE))),
);
const industryPicker = new WeightedPicker(INDUSTRIES, INDUSTRIES.map((x) => x.weight));
const statusPicker = new WeightedPicker(LEAD_STATUSES, LEAD_STATUS_WEIGHTS);
const sourcePicker = new WeightedPicker(LEAD_SOURCES, LEAD_SOURCE_WEIGHTS);

/** ISO date-time to the second, UTC. */
export function isoSeconds(ms: number): string {
  return new Date(ms - (ms % 1000)).toISOString().slice(0, 19) + 'Z';
}

function digits(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function phone(rng: Random, place: Place): string {
  // NANP numbers use the fictional 555 exchange; elsewhere a plausible international number.
  return place.dial.startsWith('+') ? `${place.dial} ${digits(rng, 3)} ${digits(rng, 6)}` : `+1-${place.dial}-555-${digits(rng, 4)}`;
}

export async function writeAccounts(out: CsvWriter, n: number, rng: Random, now: number, tick: Tick): Promise<AccountFacts> {
  const facts: AccountFacts = { domain: [], place: new Uint16Array(n), contactWeight: [] };
  for (let i = 0; i < n; i++) {
    const industry = industryPicker.pick(rng);
    const a = rng.pick(COMPANY_WORDS_A);
    const b = rng.pick(COMPANY_WORDS_B);
    const name = `${a}${b} ${rng.pick(industry.suffixes)}`;
    const place = placePicker.pick(rng);
    const p = PLACES[place]!;
    // Log-normal head count around 150, clamped to 10..50,000.
    const employees = Math.min(50_000, Math.max(10, Math.round(Math.exp(Math.log(150) + 1.5 * rng.normal()))));
    const revenue = Math.round((employees * industry.revenuePerEmployee * (0.5 + rng.next())) / 1000) * 1000;
    const created = now - rng.next() * 5 * YEAR_MS;
    facts.domain.push(`${a}${b}${i % 7 === 0 ? 'hq' : ''}.com`.toLowerCase());
    facts.place[i] = place;
    facts.contactWeight.push(Math.sqrt(employees));
    const row = [accountId(i), csvField(name), csvField(industry.name), csvField(p.city), p.state, p.country, employees, revenue, isoSeconds(created)];
    if (out.line(row.join(','))) await tick(i + 1);
  }
  return facts;
}

export async function writeContacts(
  out: CsvWriter, n: number, accounts: AccountFacts, rng: Random, now: number, tick: Tick,
): Promise<ContactFacts> {
  const facts: ContactFacts = {
    account: new Int32Array(n),
    createdAt: new Float64Array(n),
    consent: new Uint8Array(n),
    engagement: new Float32Array(n),
  };
  const accountPicker = accounts.domain.length > 0 ? new IndexPicker(accounts.contactWeight) : undefined;
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const account = accountPicker && rng.chance(0.95) ? accountPicker.pick(rng) : -1;
    // Most people work where their company is; some are remote.
    const place = PLACES[account >= 0 && rng.chance(0.7) ? accounts.place[account]! : placePicker.pick(rng)]!;
    const local = `${first}.${last}`.toLowerCase();
    const email = account >= 0 ? `${local}@${accounts.domain[account]}` : `${local}${rng.int(1, 99)}@${rng.pick(FREE_MAIL_DOMAINS)}`;
    const engagement = rng.next() ** 2.5;
    const score = Math.min(100, Math.max(0, Math.round(engagement * 75 + rng.next() * 25)));
    // More contacts were created recently than long ago (a growing database).
    const created = now - rng.next() ** 1.2 * 3 * YEAR_MS;
    const age = rng.int(20, 64); // plus a fraction of a year: ages 20-65
    const birth = new Date(now - age * YEAR_MS - rng.next() * YEAR_MS).toISOString().slice(0, 10);
    const consent = rng.chance(0.7);
    const sparse = rng.chance(0.02);
    facts.account[i] = account;
    facts.createdAt[i] = created;
    facts.consent[i] = consent ? 1 : 0;
    facts.engagement[i] = engagement;
    const row = [
      contactId(i), first, last, email,
      sparse ? '' : phone(rng, place),
      sparse ? '' : csvField(rng.pick(JOB_TITLES)),
      csvField(place.city), place.state, place.country,
      sparse ? '' : birth,
      isoSeconds(created), score, consent ? 'true' : 'false',
      account >= 0 ? accountId(account) : '',
    ];
    if (out.line(row.join(','))) await tick(i + 1);
  }
  return facts;
}

export async function writeLeads(
  out: CsvWriter, n: number, contacts: ContactFacts, rng: Random, now: number, tick: Tick,
): Promise<void> {
  const engaged = new IndexPicker(contacts.engagement);
  for (let i = 0; i < n; i++) {
    // Engaged contacts raise their hand more often.
    const c = engaged.pick(rng);
    const account = contacts.account[c]!;
    const since = contacts.createdAt[c]!;
    const created = since + rng.next() * (now - since);
    const row = [
      leadId(i), csvField(rng.pick(LEAD_TOPICS)), statusPicker.pick(rng), sourcePicker.pick(rng),
      rng.chance(0.05) ? '' : rng.int(1, 5), isoSeconds(created), contactId(c), account >= 0 ? accountId(account) : '',
    ];
    if (out.line(row.join(','))) await tick(i + 1);
  }
}
