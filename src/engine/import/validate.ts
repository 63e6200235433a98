import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeType } from '../../schema/types.js';
import type { SqlRunner, SqlValue, StagedFile } from '../../store/store.js';
import { identifierProblem, shown, textProblem } from '../records/value-rules.js';
import type { TargetColumn } from './columns.js';

/** A staged column and the target it fills. */
export interface StagedColumn {
  target: TargetColumn;
  /** SQL expression of the raw text (NULL when empty or absent). */
  raw: string;
  /** SQL expression saying whether the record carried the column (JSONL), or undefined (CSV: always). */
  carried?: string;
}

/** One way a row can be bad: a SQL predicate over the staged row, and how to say it. */
interface RowCheck {
  column: string;
  raw: string;
  when: string;
  reason(value: string | null): string;
}

/** The checks of one staged file, as set-based SQL. */
export interface RowChecks {
  /** True (never NULL) when the staged row is bad; uses `params`. */
  bad: string;
  params: SqlValue[];
  checks: RowCheck[];
}

export interface BadRecord {
  /** Staged position (rowid). */
  rec: number;
  /** Physical line, when the stage knows it (JSONL). */
  line?: number;
  problems: { column: string; reason: string }[];
}

const show = (value: string | null): string => shown(value ?? '');

const GENERIC_REASON: Record<Exclude<AttributeType, 'string'>, string> = {
  number: 'is not a number',
  boolean: 'is not a boolean (use true/false, yes/no or 1/0)',
  date: 'is not a date (expected YYYY-MM-DD)',
  datetime: 'is not a datetime (expected ISO 8601 with a zone, e.g. 2024-05-01T09:30:00Z, or a date)',
};

/**
 * Why a value the SQL check refused is not of `type`: the rules' JS form says precisely what is
 * wrong (an offset beyond ±14:00, 2023-02-29). It agrees with the SQL (a test holds it to that);
 * should it ever not, the generic reason still names the value and the type.
 */
function typeReason(type: Exclude<AttributeType, 'string'>): (v: string | null) => string {
  return (v) => (v === null ? undefined : textProblem(type, v)) ?? `${show(v)} ${GENERIC_REASON[type]}`;
}

/**
 * SQL: the staged text holds a value (not NULL, empty or only spaces). Most values do not
 * start with a space, so the costly `trim` runs only for the few that do.
 */
export function presentSql(raw: string): string {
  return `(${raw} IS NOT NULL AND ${raw} <> '' AND (ascii(${raw}) <> 32 OR trim(${raw}) <> ''))`;
}

/**
 * Build the row checks: missing required values, values of the wrong type, undeclared
 * interaction types, ids holding control characters. Each check keeps its own predicate to explain a bad row; the file-wide
 * `bad` predicate, evaluated on every row, folds a column's checks into one cheaper equivalent.
 */
export function buildRowChecks(columns: readonly StagedColumn[], registry: SchemaRegistry, db: SqlRunner): RowChecks {
  const checks: RowCheck[] = [];
  const params: SqlValue[] = [];
  const columnBad: string[] = [];
  for (const { target, raw } of columns) {
    // Empty text is a missing value; typed values may carry spaces around them.
    const present = presentSql(raw);
    const missing = `NOT ${present}`;
    if (target.required) {
      checks.push({ column: target.name, raw, when: missing, reason: () => 'missing value (required)' });
    }
    if (target.type !== 'string') {
      // The checking cast gives NULL for blank text too, so for a required column
      // "missing or not castable" is just "cast is NULL".
      const invalid = `${db.dialect.tryCast(raw, target.type)} IS NULL`;
      checks.push({ column: target.name, raw, when: `(${present} AND ${invalid})`, reason: typeReason(target.type) });
      columnBad.push(target.required ? invalid : `(${raw} IS NOT NULL AND ${invalid} AND ${present})`);
    } else if (target.interactionType) {
      const placeholders = registry.allInteractionTypes().map((t) => {
        params.push(t.name);
        return db.dialect.param(params.length, 'string');
      });
      const declared = placeholders.length ? `coalesce(${raw} IN (${placeholders.join(', ')}), false)` : 'false';
      checks.push({
        column: target.name,
        raw,
        when: `(${present} AND NOT ${declared})`,
        reason: (v) => `unknown interaction type ${show(v)} (declare it in the schema registry first)`,
      });
      // No declared type is blank, so "missing or undeclared" is just "not declared".
      columnBad.push(target.required ? `NOT ${declared}` : `(${present} AND NOT ${declared})`);
    } else if (target.identifier) {
      // The same characters as CONTROL_CHARACTER; NULL text holds none, and coalesce keeps the
      // predicate two-valued. Text holding one is never blank, so no presence test is needed.
      const control = `coalesce(regexp_matches(${raw}, '[\\x00-\\x1f\\x7f]'), false)`;
      checks.push({ column: target.name, raw, when: control, reason: (v) => identifierProblem(v ?? '') ?? `${show(v)} is not an id` });
      columnBad.push(target.required ? `(${missing} OR ${control})` : control);
    } else if (target.required) {
      columnBad.push(missing);
    }
  }
  return { bad: `(${columnBad.length ? columnBad.join(' OR ') : 'false'})`, params, checks };
}

/** Count the bad staged rows in one scan. */
export async function countBadRows(db: SqlRunner, staged: StagedFile, checks: RowChecks): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    `SELECT count(*) FILTER (WHERE ${checks.bad}) AS n FROM ${db.dialect.ident(staged.table)}`,
    checks.params,
  );
  return row?.n ?? 0;
}

/** The first `limit` bad staged rows in file order, with every problem each one has. */
export async function findBadRows(db: SqlRunner, staged: StagedFile, checks: RowChecks, limit: number): Promise<BadRecord[]> {
  const selected = checks.checks.flatMap((c, j) => [`${c.raw} AS v${j}`, `${c.when} AS b${j}`]);
  const rows = await db.all(
    `SELECT rowid AS _rec${staged.keyed ? ', _line' : ''}, ${selected.join(', ')}
     FROM ${db.dialect.ident(staged.table)} WHERE ${checks.bad} ORDER BY rowid LIMIT ${Math.floor(limit)}`,
    checks.params,
  );
  return rows.map((row) => {
    const problems = checks.checks.flatMap((c, j) =>
      row[`b${j}`] === true ? [{ column: c.column, reason: c.reason((row[`v${j}`] as string | null) ?? null) }] : [],
    );
    const rec: BadRecord = { rec: Number(row._rec), problems };
    if (staged.keyed) rec.line = Number(row._line);
    return rec;
  });
}
