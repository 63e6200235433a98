import { createKey } from '../engine/access/keys.js';
import { describeExplanation } from '../engine/contact/describe-explanation.js';
import type { Engine } from '../engine/engine.js';
import type { Backend } from './backend.js';
import { followLive } from './watch.js';

/** The CLI's commands on the engine of this process (a local database file). */
export function localBackend(engine: Engine): Backend {
  const segments = engine.segments;
  return {
    segments: {
      list: () => segments.list(),
      get: (id) => segments.get(id),
      create: (def) => segments.create(def),
      update: (id, def) => segments.update(id, def),
      goLive: (id) => segments.goLive(id),
      stop: async (id) => void (await segments.stop(id)),
      delete: (id) => segments.delete(id),
      refresh: (id) => segments.refresh(id),
      estimate: (def) => segments.estimate(def),
      changeMembers: (id, ids, mode) => segments.changeMembers(id, ids, mode),
    },
    members: (id, withProfile) => engine.members(id, withProfile),
    async explain(id, contactId) {
      const e = await engine.explain(id, contactId);
      return { json: e, text: describeExplanation(e, (await segments.get(id)).definition.query?.blocks ?? [], await engine.labels()) };
    },
    changes: (id, since, after) => engine.changes(id, since, after),
    follow: (_id, onChanges) => followLive(engine, { afterEach: onChanges }),
    importFile: (kind, path, options) => engine.importFile(kind, path, options),
    schema: async () => engine.registry.snapshot(),
    addAttribute: (entity, name, type, queryable) => engine.addAttribute(entity, name, type, queryable),
    addInteractionType: (name, queryable) => engine.addInteractionType(name, queryable),
    setQueryable: (entity, name, queryable) => engine.setQueryable(entity, name, queryable),
    setLabel: (entity, name, label) => engine.setLabel(entity, name, label),
    deleteRecords: (kind, ids) => engine.deleteRecords(kind, ids),
    contactTypes: async () => new Map(engine.registry.attributes('contact').map((a) => [a.name, a.type as string])),
    createKey: (role, name) => createKey(engine.store, role, name, engine.clock()),
  };
}
