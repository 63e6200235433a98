import type { Query, SegmentDefinition } from '../../definition/ast.js';
import { asSentence, describeBlocks } from '../../definition/describe.js';
import { DEFAULT_LABELS, makeLabels, type Labels } from '../../schema/labels.js';
import type { SchemaRegistry } from '../../schema/registry.js';

/**
 * A segment made from a template is described by the plain-words reading of its definition,
 * and that description follows the definition: when an edit changes the query and leaves the
 * description as it was, a description that read the old query is rewritten to read the new
 * one. A template's own prose ("Contacts with an email open in the last 30 days.") would go
 * stale at the first edit of the window; and a description someone wrote is never recognised as
 * generated, so it is never touched.
 */

/** The definition's own limit on a description (definition/json-schema.ts). */
const DESCRIPTION_MAX_LENGTH = 2000;

/** The description a template gives: its definition in plain words, or none if that is too long to store. */
export function generatedDescription(query: Query | undefined, labels: Labels = DEFAULT_LABELS): string | undefined {
  if (!query || query.blocks.length === 0) return undefined;
  const text = asSentence(describeBlocks(query.blocks, labels));
  return text.length <= DESCRIPTION_MAX_LENGTH ? text : undefined;
}

const sameQuery = (a: Query | undefined, b: Query | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The definition to store for an edit from `previous` to `next`: `next` itself, or with its
 * description rewritten when it is the generated reading of the previous query, left unedited,
 * and the query changed. `readings`: the labels the previous description may have been written
 * with (the defaults, and the labels set now); the first one writes the new description.
 */
export function followDescription(previous: SegmentDefinition, next: SegmentDefinition, readings: readonly Labels[]): SegmentDefinition {
  const description = previous.description;
  if (description === undefined || next.description !== description || sameQuery(previous.query, next.query)) return next;
  const generated = readings.some((labels) => generatedDescription(previous.query, labels) === description);
  if (!generated) return next;
  const { description: _stale, ...rest } = next;
  const fresh = generatedDescription(next.query, readings[0] ?? DEFAULT_LABELS);
  return fresh === undefined ? rest : { ...rest, description: fresh };
}

/** The labels a generated description may have been written with: the ones set now (segments under their names) first, then the defaults. */
export function descriptionReadings(registry: SchemaRegistry, segments: readonly { id: string; name: string }[]): Labels[] {
  const names = new Map(segments.map((s) => [s.id, s.name]));
  return [registry.labels(names), makeLabels([], names), DEFAULT_LABELS];
}
