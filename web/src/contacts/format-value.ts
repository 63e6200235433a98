/** Attribute values as people read them, by the type the schema gives the attribute. */
import type { AttributeType, ContactRecord } from '../api/types';
import { formatCount, formatInstant } from '../ui/format';

// A `date` has no time zone: format it as the calendar day it names, not as a UTC midnight shifted into local time.
const calendarDay = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function formatValue(value: unknown, type?: AttributeType): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return formatCount(value);
  if (typeof value !== 'string') return JSON.stringify(value);
  if (type === 'date') return calendarDay.format(new Date(`${value.slice(0, 10)}T00:00:00Z`));
  // Attributes not (yet) in the schema: an ISO instant still reads better as a date.
  if (type === 'datetime' || (type === undefined && ISO_INSTANT.test(value))) return formatInstant(value);
  return value;
}

/** "First Last", else the email, else the id. */
export function contactName(c: ContactRecord): string {
  const name = [c.first_name, c.last_name].filter((p) => typeof p === 'string' && p).join(' ');
  return name || (typeof c.email === 'string' && c.email) || c.id;
}
