import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { SqlRunner, SqlValue } from '../../store/store.js';

/** Where the values come from: a contact attribute path (`state`, `account.industry`) or an interaction type's property. */
export type ValuesOf = { attr: string; interaction?: undefined } | { attr: string; interaction: string };

export interface DistinctValue {
  value: string | number | boolean;
  /** Contacts with the value (for an interaction property: interactions of the type). */
  count: number;
}

/** Attribute types a list of values suits (dates and instants are picked, not chosen from a list). */
const LISTED = new Set(['string', 'number', 'boolean']);

/**
 * The most frequent values of an attribute, for the designer's choice lists: one set-based
 * `GROUP BY`, optionally only values containing `search` (case-insensitive), most frequent first.
 */
export async function distinctValues(db: SqlRunner, registry: SchemaRegistry, of: ValuesOf, search: string | undefined, limit: number): Promise<DistinctValue[]> {
  const d = db.dialect;
  const params: SqlValue[] = [];
  let column: string;
  let from: string;
  let where: string;
  if (of.interaction !== undefined) {
    if (!registry.interactionType(of.interaction)) throw new SegmataError('not_found', `unknown interaction type "${of.interaction}"`);
    const a = registry.attribute('interaction', of.attr);
    if (!a) throw new SegmataError('not_found', `unknown interaction property "${of.attr}" (known: ${registry.attributes('interaction').map((x) => x.name).join(', ')})`);
    if (!LISTED.has(a.type)) throw notListed(of.attr, a.type);
    column = `i.${d.ident(a.name)}`;
    from = `${d.ident(TABLES.interaction)} AS i`;
    params.push(of.interaction);
    where = `i.type = $1`;
  } else {
    const path = registry.resolve('contact', of.attr);
    if (typeof path === 'string') throw new SegmataError('not_found', path);
    if (!LISTED.has(path.attribute.type)) throw notListed(of.attr, path.attribute.type);
    // At most one hop (contact → account): count contacts, so a value's weight is its audience.
    const hop = path.hops[0];
    if (path.hops.length > 1) throw new SegmataError('invalid_argument', `"${of.attr}": values are listed at most one relation away`);
    if (hop) {
      from = `${d.ident(TABLES.contact)} AS c JOIN ${d.ident(TABLES[hop.to])} AS r ON r.id = c.${d.ident(hop.via)}`;
      column = `r.${d.ident(path.attribute.name)}`;
    } else {
      from = `${d.ident(TABLES.contact)} AS c`;
      column = `c.${d.ident(path.attribute.name)}`;
    }
    where = 'TRUE';
  }
  if (search) {
    params.push(search);
    where += ` AND ${d.containsCI(`CAST(${column} AS VARCHAR)`, `$${params.length}`)}`;
  }
  const rows = await db.all<{ value: string | number | boolean; n: number }>(
    `SELECT ${column} AS value, count(*) AS n FROM ${from} WHERE ${column} IS NOT NULL AND ${where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT ${Math.floor(limit)}`,
    params,
  );
  return rows.map((r) => ({ value: r.value, count: Number(r.n) }));
}

function notListed(attr: string, type: string): SegmataError {
  return new SegmataError('invalid_argument', `"${attr}" is a ${type} attribute: values are listed for text, number and boolean attributes`);
}
