import type { Attribute, ContactRecord } from '../api/types';
import { labelFromName } from '../../../src/schema/labels.js';
import { formatValue } from './format-value';

/**
 * A record's attributes as a definition list: those the schema declares first, in its order
 * (so each is formatted by its type), then any the record carries beyond them.
 */
export function AttributeList({ record, attributes, label }: { record: ContactRecord; attributes: Attribute[]; label: string }) {
  const declared = new Set(attributes.map((a) => a.name));
  const extra = Object.keys(record).filter((k) => k !== 'id' && !declared.has(k));
  // Each attribute under its label (the schema's, set in Settings), not its column name.
  const rows: { name: string; label: string; value: string }[] = [
    { name: 'id', label: 'ID', value: record.id },
    ...attributes.map((a) => ({ name: a.name, label: a.label ?? labelFromName(a.name), value: formatValue(record[a.name], a.type) })),
    ...extra.map((k) => ({ name: k, label: labelFromName(k), value: formatValue(record[k]) })),
  ];
  return (
    <dl className="attribute-list" aria-label={label}>
      {rows.map((r) => (
        <div key={r.name}>
          <dt title={r.name}>{r.label}</dt>
          <dd className={r.value === '—' ? 'muted' : undefined}>{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}
