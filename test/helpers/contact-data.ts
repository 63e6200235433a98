import type { ContactData, InteractionRow, RecordRow } from '../../src/engine/contact/evaluate.js';
import type { DataSet } from './seed.js';

/** What loadContactData builds from the database, built here from a test data set. */
export function contactData(data: DataSet): Map<string, ContactData> {
  const accounts = new Map((data.accounts ?? []).map((a) => [a.id, a as RecordRow]));
  const out = new Map<string, ContactData>();
  for (const c of data.contacts ?? []) {
    const ref = c.account_id;
    out.set(c.id, { contact: c as RecordRow, related: { account: typeof ref === 'string' ? accounts.get(ref) : undefined }, interactions: [] });
  }
  for (const i of data.interactions ?? []) {
    out.get(i.contact_id)?.interactions.push({ ...i, occurred_at: new Date(i.occurred_at) } as InteractionRow);
  }
  return out;
}
