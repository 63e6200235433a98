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
  // An uncorrelated IN subquery: DuckDB builds one hash table of the list (a semi join).
  inJsonList: (e, list, type) => `${e} IN (SELECT unnest(CAST(CAST(${list} AS JSON) AS ${COLUMN_TYPES[type]}[])))`,
  monthOf: (e) => `month(${e})`,
  tryCast: (e, type) => {
    switch (type) {
      case 'string':
        return e;
      case 'boolean':
        // Accept the spellings spreadsheets produce; anything else is a type error.
        return `(CASE lower(trim(${e})) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false END)`;
      // The record value rules (engine/records/value-rules.ts, schema/instant.ts); a test holds
      // this SQL and their JS form to agreement.
      case 'number':
        // Finite and within ±(2^53 − 1) (a larger integer could be rounded); no digit separators
        // (`1_000`), which the cast would read.
        return `(CASE WHEN abs(TRY_CAST(trim(${e}) AS DOUBLE)) <= ${Number.MAX_SAFE_INTEGER} AND strpos(${e}, '_') = 0 THEN TRY_CAST(trim(${e}) AS DOUBLE) END)`;
      case 'date':
        // Only ISO dates (YYYY-MM-DD) of years 0001–9999: DuckDB's own cast accepts more than
        // the SPEC allows, and reads year 0000 as 1 BC.
        return `(CASE WHEN regexp_full_match(trim(${e}), '\\d{4}-\\d{2}-\\d{2}') AND NOT starts_with(trim(${e}), '0000') THEN TRY_CAST(trim(${e}) AS DATE) END)`;
      case 'datetime':
        // ISO 8601 with seconds and a zone (Z or ±hh[[:]mm] within ±14:00), hours 00–23, at most 6
        // fractional digits; a date alone means midnight UTC; years 0001–9999, also in UTC.
        // Fast path first: the canonical UTC form (what exports and our demo write) skips the
        // regex, which costs ~6x more per row on large imports. The year check stops DuckDB's
        // lenient cast from reading " 024-…" as year 24, the hour check its "24:00:00".
        return `(CASE WHEN ${e} LIKE '____-__-__T__:__:__Z' AND TRY_CAST(substr(${e}, 1, 4) AS INTEGER) >= 1000 AND substr(${e}, 12, 2) < '24' THEN TRY_CAST(${e} AS TIMESTAMPTZ) WHEN regexp_full_match(trim(${e}), '\\d{4}-\\d{2}-\\d{2}([T ]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,6})?(Z|[+-]((0\\d|1[0-3])(:?[0-5]\\d)?|14(:?00)?)))?') AND NOT starts_with(trim(${e}), '0000') AND (substr(trim(${e}), 1, 4) NOT IN ('0001', '9999') OR TRY_CAST(trim(${e}) AS TIMESTAMPTZ) BETWEEN TIMESTAMPTZ '0001-01-01 00:00:00+00' AND TIMESTAMPTZ '9999-12-31 23:59:59.999999+00') THEN TRY_CAST(trim(${e}) AS TIMESTAMPTZ) END)`;
    }
  },
};
