import type { FastifyInstance } from 'fastify';
import { getTemplate, instantiateTemplate, listTemplates, type Template } from '../../engine/templates/index.js';
import { SEGMENT_ID_PATTERN } from '../../definition/json-schema.js';
import type { ApiContext } from '../server.js';
import { idParams, op, pageOf } from '../schemas.js';
import { changeBy, sendSegment } from './segments.js';

const templateSchema = {
  type: 'object',
  required: ['name', 'title', 'description', 'category', 'params'],
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    category: { type: 'string' },
    params: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'label', 'type', 'required', 'description'],
        properties: {
          name: { type: 'string' },
          label: { type: 'string' },
          type: { type: 'string' },
          required: { type: 'boolean' },
          description: { type: 'string' },
          default: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }] },
          min: { type: 'number' },
        },
      },
    },
  },
} as const;

const templateJson = (t: Template) => ({
  name: t.name,
  title: t.title,
  description: t.description,
  category: t.category,
  params: t.params.map((p) => ({ ...p, ...(p.default === undefined ? {} : { default: p.default }) })),
});

export function registerTemplateRoutes(api: FastifyInstance, { engine }: ApiContext): void {
  api.get('/templates', {
    schema: op('viewer', 'templates', 'Ready-made segment templates', { response: { 200: pageOf(templateSchema) } }),
    handler: async () => ({ items: listTemplates().map(templateJson) }),
  });

  api.get('/templates/:name', {
    schema: op('viewer', 'templates', 'One template, with its parameters', { params: idParams('name'), response: { 200: templateSchema } }),
    handler: async (request) => templateJson(getTemplate((request.params as { name: string }).name)),
  });

  api.post('/templates/:name/instantiate', {
    schema: op('editor', 'templates', 'Create a draft segment from a template and its parameters (given as text, as in a form)', {
      params: idParams('name'),
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: SEGMENT_ID_PATTERN },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          params: { type: 'object', additionalProperties: { type: 'string' } },
          save: { type: 'boolean', default: true, description: 'false: return the definition without saving it' },
        },
      },
      response: { 200: { type: 'object', required: ['definition'], properties: { definition: { $ref: 'segment-definition#' } } }, 201: { $ref: 'segment#' } },
    }),
    handler: async (request, reply) => {
      const { name } = request.params as { name: string };
      const b = request.body as { id?: string; name?: string; params?: Record<string, string>; save: boolean };
      // The segment's description reads its definition under the labels set now (templates/description.ts).
      const def = instantiateTemplate(name, b.params ?? {}, { ...(b.id ? { id: b.id } : {}), ...(b.name ? { name: b.name } : {}) }, await engine.labels());
      if (!b.save) return { definition: def };
      const s = await engine.segments.create(def, changeBy(request));
      return sendSegment(reply, s, 201);
    },
  });
}
