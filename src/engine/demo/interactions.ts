import type { CsvWriter } from './csv-writer.js';
import { DAY_MS, YEAR_MS, contactId, isoSeconds, type ContactFacts, type Tick } from './entities.js';
import { IndexPicker, Random, WeightedPicker } from './random.js';
import { FORMS, SITE, US_PLACES, WEB_PAGE_WEIGHTS, WEB_PAGES } from './vocab.js';

export const INTERACTION_COLUMNS = [
  'id', 'contact_id', 'type', 'occurred_at', 'campaign_id', 'email_id', 'link_url', 'form_id', 'event_id', 'page_url',
];

/** Share of all interaction rows that come from email campaigns; the rest is web, forms, events. */
const EMAIL_SHARE = 0.6;
const MIN_CAMPAIGNS = 24;
const MAX_AUDIENCE = 0.5;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const interactionId = (n: number): string => `i${String(n + 1).padStart(8, '0')}`;

interface Campaign {
  id: string;
  emailId: string;
  sendAt: number;
  links: string[];
}

interface DemoEvent {
  id: string;
  at: number;
}

/** How likely a contact is to open / click, from its engagement (0..1). */
const openChance = (e: number): number => 0.08 + 0.75 * e;
const clickChance = (e: number): number => 0.15 + 0.35 * e;
const BOUNCE = 0.03;
const REOPEN = 0.2;
const UNSUBSCRIBE = 0.004;

/** Expected rows one email send produces for a contact (used to size the campaigns). */
function rowsPerSend(e: number): number {
  const opens = (1 - BOUNCE) * openChance(e);
  return 1 + BOUNCE + (1 - BOUNCE) * (1 + UNSUBSCRIBE) + opens * (1 + REOPEN + clickChance(e));
}

/**
 * Streams interaction rows: first the email funnel of each campaign (newest first), then
 * website visits, forms and events until exactly `total` rows are written. Nothing is dated
 * after `now` or before the contact existed.
 */
export class InteractionWriter {
  private written = 0;
  private readonly yearAgo: number;
  private readonly engaged: IndexPicker;
  private readonly pagePicker = new WeightedPicker(WEB_PAGES, WEB_PAGE_WEIGHTS);
  private readonly events: DemoEvent[];

  constructor(
    private readonly out: CsvWriter,
    private readonly contacts: ContactFacts,
    private readonly total: number,
    private readonly rng: Random,
    private readonly now: number,
    private readonly tick: Tick,
  ) {
    this.yearAgo = now - YEAR_MS;
    this.engaged = engagementPicker(contacts);
    this.events = planEvents(now, rng);
  }

  get done(): number {
    return this.written;
  }

  private get full(): boolean {
    return this.written >= this.total;
  }

  /** Write one row unless the total is reached or the instant is after `now`. */
  private emit(contact: number, type: string, at: number, props: string): boolean {
    if (this.full || at > this.now) return false;
    const row = `${interactionId(this.written)},${contactId(contact)},${type},${isoSeconds(at)},${props}`;
    this.written++;
    return this.out.line(row);
  }

  async writeAll(): Promise<void> {
    await this.writeCampaigns();
    await this.writeSiteActivity();
  }

  private async writeCampaigns(): Promise<void> {
    const { consent, createdAt, engagement } = this.contacts;
    const n = consent.length;
    let consented = 0;
    let expected = 0;
    for (let i = 0; i < n; i++) {
      if (consent[i]) {
        consented++;
        expected += rowsPerSend(engagement[i]!);
      }
    }
    if (consented === 0) return;
    const budget = this.total * EMAIL_SHARE;
    const perSend = expected / consented;
    // Enough campaigns that none goes to more than half the audience.
    const count = Math.max(MIN_CAMPAIGNS, Math.min(365, Math.ceil(budget / (perSend * consented * MAX_AUDIENCE))));
    const campaigns = planCampaigns(count, this.yearAgo, this.now);
    let eligible = 0;
    for (const c of campaigns) for (let i = 0; i < n; i++) if (consent[i] && createdAt[i]! < c.sendAt) eligible++;
    const audience = Math.min(1, budget / (perSend * Math.max(1, eligible)));
    for (const c of [...campaigns].reverse()) {
      for (let i = 0; i < n && !this.full; i++) {
        if (!consent[i] || createdAt[i]! >= c.sendAt || this.rng.next() >= audience) continue;
        if (this.sendEmail(c, i)) await this.tick(this.written);
      }
    }
  }

  /** One contact's funnel for one campaign. Returns true when the writer wants a flush. */
  private sendEmail(c: Campaign, i: number): boolean {
    const rng = this.rng;
    const e = this.contacts.engagement[i]!;
    const props = `${c.id},${c.emailId},,,,`;
    const sent = c.sendAt + rng.next() * HOUR_MS;
    let flush = this.emit(i, 'email_sent', sent, props);
    if (rng.chance(BOUNCE)) return this.emit(i, 'email_bounce', sent + 30_000, props) || flush;
    const delivered = sent + 5_000 + rng.next() * 115_000;
    flush = this.emit(i, 'email_delivered', delivered, props) || flush;
    if (rng.chance(openChance(e))) {
      const opened = delivered + rng.exponential(6 * HOUR_MS);
      flush = this.emit(i, 'email_open', opened, props) || flush;
      if (rng.chance(REOPEN)) flush = this.emit(i, 'email_open', opened + rng.exponential(2 * DAY_MS), props) || flush;
      if (rng.chance(clickChance(e))) {
        const link = rng.pick(c.links);
        flush = this.emit(i, 'email_click', opened + rng.exponential(3 * MINUTE_MS), `${c.id},${c.emailId},${link},,,`) || flush;
      }
    }
    if (rng.chance(UNSUBSCRIBE)) flush = this.emit(i, 'email_unsubscribe', delivered + rng.exponential(DAY_MS), props) || flush;
    return flush;
  }

  private async writeSiteActivity(): Promise<void> {
    const rng = this.rng;
    while (!this.full) {
      // Engaged contacts come back far more often than the rest.
      const i = this.engaged.pick(rng);
      const from = Math.max(this.yearAgo, this.contacts.createdAt[i]!);
      const at = from + rng.next() * (this.now - from);
      const r = rng.next();
      const flush = r < 0.6 ? this.visitSite(i, at) : r < 0.85 ? this.fillForm(i, at) : this.attendEvent(i, from);
      if (flush) await this.tick(this.written);
    }
  }

  private visitSite(i: number, at: number): boolean {
    let flush = false;
    let t = at;
    const pages = 1 + Math.min(7, Math.floor(this.rng.exponential(0.8 + 2 * this.contacts.engagement[i]!)));
    for (let k = 0; k < pages; k++) {
      flush = this.emit(i, 'website_visit', t, `,,,,,${SITE}${this.pagePicker.pick(this.rng)}`) || flush;
      t += 10_000 + this.rng.exponential(40_000);
    }
    return flush;
  }

  private fillForm(i: number, at: number): boolean {
    const form = this.rng.pick(FORMS);
    const props = `,,,${form},,${SITE}/forms/${form}`;
    let flush = this.emit(i, 'form_visit', at, props);
    if (this.rng.chance(0.4)) flush = this.emit(i, 'form_submit', at + 20_000 + this.rng.exponential(90_000), props) || flush;
    return flush;
  }

  /** Registration in the six weeks before an event; check-in on the day for most who came. */
  private attendEvent(i: number, from: number): boolean {
    const rng = this.rng;
    const event = rng.pick(this.events);
    const start = Math.max(from, event.at - 42 * DAY_MS);
    const end = Math.min(this.now, event.at);
    if (start >= end) return this.visitSite(i, from + rng.next() * (this.now - from));
    const props = `,,,,${event.id},`;
    let flush = this.emit(i, 'event_registration', start + rng.next() * (end - start), props);
    if (rng.chance(0.55 + 0.3 * this.contacts.engagement[i]!)) {
      flush = this.emit(i, 'event_checkin', event.at + rng.next() * 2 * HOUR_MS, props) || flush;
    }
    return flush;
  }
}

function engagementPicker(contacts: ContactFacts): IndexPicker {
  const weights = new Float32Array(contacts.engagement.length);
  for (let i = 0; i < weights.length; i++) weights[i] = 0.03 + contacts.engagement[i]!;
  return new IndexPicker(weights);
}

const monthTag = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** Campaigns evenly spread over the year before `now`, each with one email and a few links. */
function planCampaigns(count: number, yearAgo: number, now: number): Campaign[] {
  const themes = ['newsletter', 'product-update', 'webinar-invite', 'case-study', 'promo', 'onboarding'];
  const out: Campaign[] = [];
  for (let k = 0; k < count; k++) {
    // Spread over the year, sent in the US morning (14:00 UTC).
    const day = yearAgo + ((k + 0.5) / count) * (now - yearAgo);
    const sendAt = day - (day % DAY_MS) + 14 * HOUR_MS;
    const id = `cmp-${monthTag(sendAt)}-${themes[k % themes.length]}-${String(k + 1).padStart(3, '0')}`;
    const utm = `?utm_campaign=${id}`;
    out.push({ id, emailId: `${id}-e1`, sendAt, links: [`${SITE}/${utm}`, `${SITE}/pricing${utm}`, `${SITE}/blog${utm}`, `${SITE}/demo${utm}`] });
  }
  return out;
}

/** Fourteen events over the past year and two upcoming ones (registrations still open). */
function planEvents(now: number, rng: Random): DemoEvent[] {
  const kinds = ['summit', 'roadshow', 'webinar', 'meetup', 'workshop'];
  const dates = [...Array.from({ length: 14 }, (_, k) => now - YEAR_MS + (k / 14) * YEAR_MS + 7 * DAY_MS), now + 10 * DAY_MS, now + 30 * DAY_MS];
  return dates.map((day, k) => {
    const at = day - (day % DAY_MS) + rng.int(9, 17) * HOUR_MS;
    const city = US_PLACES[k % US_PLACES.length]!.city.toLowerCase().replaceAll(' ', '-');
    return { id: `evt-${monthTag(at)}-${city}-${kinds[k % kinds.length]}`, at };
  });
}
