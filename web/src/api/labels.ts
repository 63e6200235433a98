/**
 * How names read in the UI: attributes, relations and interaction types under the labels of the
 * schema registry (GET /schema), segments under their names. The same `Labels` the server's
 * plain-words definition uses (src/schema/labels.ts), so the two read alike.
 */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { makeLabels, type LabelDef, type LabelOwner, type Labels } from '../../../src/schema/labels.js';
import { api } from './client';
import { useSchema } from './hooks';
import type { Labelled, Page, Schema, Segment } from './types';

/** The labels a schema document carries that differ from their defaults (the rest default alike). */
export function labelsSet(schema: Schema | undefined): LabelDef[] {
  if (!schema) return [];
  const set = (entity: LabelOwner, items: ({ name: string } & Labelled)[]): LabelDef[] =>
    items.filter((i) => i.label !== undefined && i.label !== i.defaultLabel).map((i) => ({ entity, name: i.name, label: i.label! }));
  return [
    ...schema.entities.flatMap((e) => set(e.name, e.attributes)),
    ...(schema.relations ?? []).flatMap((r) => set(r.from as LabelOwner, [r])),
    ...set('interaction_type', schema.interactionTypes),
  ];
}

export function labelsOf(schema: Schema | undefined, segments: readonly Pick<Segment, 'id' | 'name'>[] = []): Labels {
  return makeLabels(labelsSet(schema), new Map(segments.map((s) => [s.id, s.name])));
}

/** Segment names by id, for naming segments a definition refers to (shared with other pickers' cache). */
export function useSegmentNames() {
  return useQuery({ queryKey: ['segments', { limit: 1000 }], queryFn: () => api<Page<Segment>>('/segments', { query: { limit: 1000 } }), staleTime: 30_000 });
}

/**
 * Attribute and type labels only (segments under their ids): for tables of records, which name
 * no segment and need not fetch every segment's name.
 */
export function useSchemaLabels(): Labels {
  const schema = useSchema();
  return useMemo(() => labelsOf(schema.data), [schema.data]);
}

/** The labels to read names with; defaults until the schema (and segment names) arrive. */
export function useLabels(): Labels {
  const schema = useSchema();
  const segments = useSegmentNames();
  return useMemo(() => labelsOf(schema.data, segments.data?.items), [schema.data, segments.data]);
}
