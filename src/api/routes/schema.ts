import type { FastifyInstance } from 'fastify';
import { RELATIONS } from '../../schema/defaults.js';
import { defaultLabel, LABEL_MAX_LENGTH, LABEL_OWNERS, type LabelOwner } from '../../schema/labels.js';
import type { AttributeType, RecordKind } from '../../schema/types.js';
import type { ApiContext } from '../server.js';
import { op } from '../schemas.js';

const ENTITIES = ['contact', 'account', 'lead', 'interaction'] as const;
const TYPES = ['string', 'number', 'boolean', 'date', 'datetime'] as const;
const NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'lower-case letters, digits and _' } as const;

/** How a name reads (the label an admin set, or its default), and the default it goes back to. */
const LABELLED = {
  label: { type: 'string', description: 'display label: the one an admin set, or the default derived from the name' },
  defaultLabel: { type: 'string', description: 'the label when none is set' },
} as const;

const schemaDocument = {
  type: 'object',
  required: ['entities', 'interactionTypes', 'relations'],
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'attributes'],
        properties: {
          name: { enum: ENTITIES },
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'type', 'queryable', 'builtin', 'label', 'defaultLabel'],
              properties: { name: { type: 'string' }, type: { enum: TYPES }, queryable: { type: 'boolean' }, builtin: { type: 'boolean' }, ...LABELLED },
            },
          },
        },
      },
    },
    interactionTypes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'queryable', 'builtin', 'label', 'defaultLabel'],
        properties: { name: { type: 'string' }, queryable: { type: 'boolean' }, builtin: { type: 'boolean' }, ...LABELLED },
      },
    },
    relations: {
      type: 'array',
      description: 'many-to-one relations: `from.via` holds the id of a `to` record, reached in attribute paths as `name.attr`',
      items: {
        type: 'object',
        required: ['from', 'name', 'via', 'to', 'label', 'defaultLabel'],
        properties: { from: { type: 'string' }, name: { type: 'string' }, via: { type: 'string' }, to: { type: 'string' }, ...LABELLED },
      },
    },
  },
} as const;

export function registerSchemaRoutes(api: FastifyInstance, { engine }: ApiContext): void {
  const labelled = (entity: LabelOwner, name: string) => ({ label: engine.registry.label(entity, name), defaultLabel: defaultLabel(entity, name) });
  const document = () => ({
    entities: ENTITIES.map((name) => ({
      name,
      attributes: engine.registry.attributes(name).map((a) => ({ name: a.name, type: a.type, queryable: a.queryable, builtin: a.builtin, ...labelled(name, a.name) })),
    })),
    interactionTypes: engine.registry.allInteractionTypes().map((t) => ({ name: t.name, queryable: t.queryable, builtin: t.builtin, ...labelled('interaction_type', t.name) })),
    relations: RELATIONS.map((r) => ({ from: r.from, name: r.name, via: r.via, to: r.to, ...labelled(r.from, r.name) })),
  });

  api.get('/schema', {
    schema: op('viewer', 'schema', 'Entities with their attributes, and interaction types', { response: { 200: schemaDocument } }),
    handler: async () => document(),
  });

  api.get('/schema/values', {
    schema: op('viewer', 'schema', "An attribute's most frequent values, for choice lists: a contact attribute path (`state`, `account.industry`), or with `interaction` that type's property", {
      querystring: {
        type: 'object',
        required: ['attr'],
        additionalProperties: false,
        properties: {
          attr: { type: 'string', minLength: 1, maxLength: 200 },
          interaction: { type: 'string', minLength: 1, maxLength: 200 },
          search: { type: 'string', maxLength: 200 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        },
      },
      response: {
        200: {
          type: 'object',
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              items: { type: 'object', required: ['value', 'count'], properties: { value: { type: ['string', 'number', 'boolean'] }, count: { type: 'integer' } } },
            },
          },
        },
      },
    }),
    handler: async (request) => {
      const q = request.query as { attr: string; interaction?: string; search?: string; limit: number };
      const of = q.interaction === undefined ? { attr: q.attr } : { attr: q.attr, interaction: q.interaction };
      return { items: await engine.distinctValues(of, q.search || undefined, q.limit) };
    },
  });

  api.post('/schema/attributes', {
    schema: op('admin', 'schema', 'Add an attribute to an entity (interaction properties are attributes of `interaction`)', {
      body: {
        type: 'object',
        required: ['entity', 'name', 'type'],
        additionalProperties: false,
        properties: { entity: { enum: ENTITIES }, name: NAME, type: { enum: TYPES }, queryable: { type: 'boolean', default: true } },
      },
      response: { 201: schemaDocument },
    }),
    handler: async (request, reply) => {
      const b = request.body as { entity: RecordKind; name: string; type: AttributeType; queryable: boolean };
      await engine.addAttribute(b.entity, b.name, b.type, b.queryable);
      return reply.code(201).send(document());
    },
  });

  api.post('/schema/queryable', {
    schema: op('admin', 'schema', 'Mark an attribute (entity, name) or an interaction type (entity "interaction_type") queryable or not', {
      body: {
        type: 'object',
        required: ['entity', 'name', 'queryable'],
        additionalProperties: false,
        properties: { entity: { enum: [...ENTITIES, 'interaction_type'] }, name: { type: 'string', minLength: 1 }, queryable: { type: 'boolean' } },
      },
      response: { 200: schemaDocument },
    }),
    handler: async (request) => {
      const b = request.body as { entity: string; name: string; queryable: boolean };
      await engine.setQueryable(b.entity, b.name, b.queryable);
      return document();
    },
  });

  api.post('/schema/interaction-types', {
    schema: op('admin', 'schema', 'Add an interaction type', {
      body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: NAME, queryable: { type: 'boolean', default: true } } },
      response: { 201: schemaDocument },
    }),
    handler: async (request, reply) => {
      const b = request.body as { name: string; queryable: boolean };
      await engine.addInteractionType(b.name, b.queryable);
      return reply.code(201).send(document());
    },
  });

  api.post('/schema/labels', {
    schema: op('admin', 'schema', 'Set the display label of an attribute or relation (entity, name) or of an interaction type (entity "interaction_type"); an empty label or null goes back to the default', {
      body: {
        type: 'object',
        required: ['entity', 'name', 'label'],
        additionalProperties: false,
        properties: {
          entity: { enum: LABEL_OWNERS },
          name: { type: 'string', minLength: 1, maxLength: 63 },
          label: {
            type: ['string', 'null'],
            maxLength: LABEL_MAX_LENGTH,
            // Control characters (line breaks, tabs) would break the one-line places labels show in.
            pattern: '^[^\\u0000-\\u001f\\u007f]*$',
            description: 'the label to show; "" or null: the default derived from the name',
          },
        },
      },
      response: { 200: schemaDocument },
    }),
    handler: async (request) => {
      const b = request.body as { entity: string; name: string; label: string | null };
      await engine.setLabel(b.entity, b.name, b.label);
      return document();
    },
  });
}
