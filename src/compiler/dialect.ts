import type { AttributeType } from '../schema/types.js';

/**
 * What differs per database. The compiler builds SQL through this and nothing else, so a
 * PostgreSQL dialect is one more implementation in `dialects/postgres`, nothing else moves.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'postgres';
  /** Quote an identifier that came from the schema registry. */
  ident(name: string): string;
  /** A bound parameter placeholder for 1-based position `n`, cast to the attribute type. */
  param(n: number, type: AttributeType | 'integer'): string;
  /** Column type used to store an attribute of this type. */
  columnType(type: AttributeType): string;
  /** Case-insensitive "haystack contains needle" for strings (needle is a placeholder). */
  containsCI(haystack: string, needle: string): string;
  startsWithCI(haystack: string, prefix: string): string;
  endsWithCI(haystack: string, suffix: string): string;
  /** A date/datetime expression as an instant (dates are midnight UTC). */
  asInstant(expr: string, type: 'date' | 'datetime'): string;
  /** `expr IN (list)`, the list bound as one JSON array (text) at placeholder `list`. */
  inJsonList(expr: string, list: string, type: 'string' | 'number'): string;
  /** Month number 1-12 of a date/datetime expression, in UTC. */
  monthOf(expr: string): string;
  /** Cast a text expression to `type`, giving NULL instead of failing (import validation). */
  tryCast(expr: string, type: AttributeType): string;
}
