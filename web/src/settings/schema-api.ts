/** Schema changes (admin only): each answers with the whole new schema, which replaces the cached one. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { AttributeType, Schema } from '../api/types';

export type EntityName = Schema['entities'][number]['name'];

export interface NewAttribute {
  entity: EntityName;
  name: string;
  type: AttributeType;
  queryable: boolean;
}

export interface QueryableChange {
  /** An entity's attribute, or an interaction type (entity "interaction_type"). */
  entity: EntityName | 'interaction_type';
  name: string;
  queryable: boolean;
}

function useSchemaChange<T>(path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: T) => api<Schema>(path, { method: 'POST', body }),
    onSuccess: (schema) => queryClient.setQueryData(['schema'], schema),
  });
}

export const useAddAttribute = () => useSchemaChange<NewAttribute>('/schema/attributes');
export const useAddInteractionType = () => useSchemaChange<{ name: string; queryable: boolean }>('/schema/interaction-types');
export const useSetQueryable = () => useSchemaChange<QueryableChange>('/schema/queryable');

export interface LabelChange {
  /** An entity's attribute or relation, or an interaction type (entity "interaction_type"). */
  entity: EntityName | 'interaction_type';
  name: string;
  /** The label to show; null goes back to the default derived from the name. */
  label: string | null;
}

export const useSetLabel = () => useSchemaChange<LabelChange>('/schema/labels');
