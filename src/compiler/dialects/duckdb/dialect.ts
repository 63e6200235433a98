import type { AttributeType } from '../../../schema/types.js';
import type { Dialect } from '../../dialect.js';

const COLUMN_TYPES: Record<AttributeType, string> = {
  string: 'VARCHAR',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  datetime: 'TIMESTAMPTZ',
};

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  param: (n, type) => (type === 'string' ? `$${n}` : `CAST($${n} AS ${type === 'integer' ? 'BIGINT' : COLUMN_TYPES[type]})`),
  columnType: (type) => COLUMN_TYPES[type],
  containsCI: (h, n) => `(strpos(lower(${h}), lower(${n})) > 0)`,
  startsWithCI: (h, p) => `starts_with(lower(${h}), lower(${p}))`,
  endsWithCI: (h, s) => `ends_with(lower(${h}), lower(${s}))`,
  // The connection runs in UTC, so a DATE casts to its midnight UTC.
  asInstant: (e, type) => (type === 'date' ? `CAST(${e} AS TIMESTAMPTZ)` : e),
  monthOf: (e) => `month(${e})`,
  tryCast: (e, type) => {
    switch (type) {
      case 'string':
        return e;
      case 'boolean':
        // Accept the spellings spreadsheets produce; anything else is a type error.
        return `(CASE lower(trim(${e})) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false END)`;
      case 'number':
        return `TRY_CAST(trim(${e}) AS DOUBLE)`;
      case 'date':
        // Only ISO dates (YYYY-MM-DD): DuckDB's own cast accepts more than the SPEC allows.
        return `(CASE WHEN regexp_full_match(trim(${e}), '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(trim(${e}) AS DATE) END)`;
      case 'datetime':
        // ISO 8601 with a zone (Z or ±hh:mm); a date alone means midnight UTC.
        // Fast path first: the canonical UTC form (what exports and our demo write) skips the
        // regex, which costs ~6x more per row on large imports. The year check stops DuckDB's
        // lenient cast from reading " 024-…" as year 24.
        return `(CASE WHEN ${e} LIKE '____-__-__T__:__:__Z' AND TRY_CAST(substr(${e}, 1, 4) AS INTEGER) >= 1000 THEN TRY_CAST(${e} AS TIMESTAMPTZ) WHEN regexp_full_match(trim(${e}), '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}(:?\\d{2})?))?') THEN TRY_CAST(trim(${e}) AS TIMESTAMPTZ) END)`;
    }
  },
};
