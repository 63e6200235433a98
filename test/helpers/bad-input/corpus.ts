import { definitionCases } from './definitions.js';
import { authCases, genericCases, sizeCases } from './generic.js';
import { importCases } from './imports.js';
import { interactionCases, recordCases } from './records.js';
import { adminCases, schemaCases, segmentCases, templateCases } from './routes.js';
import type { BadCase } from './types.js';

/** The corpus in groups (one test each), every case a request the server must refuse without changing anything. */
export function corpus(): { group: string; cases: BadCase[] }[] {
  const groups = [
    { group: 'records (batch and single upserts, deletes)', cases: recordCases() },
    { group: 'interactions', cases: interactionCases() },
    { group: 'definitions (create, estimate, update)', cases: definitionCases() },
    { group: 'segment lifecycle and members', cases: segmentCases() },
    { group: 'templates', cases: templateCases() },
    { group: 'schema registry', cases: schemaCases() },
    { group: 'keys and webhooks', cases: adminCases() },
    { group: 'imports', cases: importCases() },
    { group: 'bodies that are not the route\'s JSON', cases: genericCases() },
    { group: 'authentication', cases: authCases() },
    { group: 'sizes', cases: sizeCases() },
  ];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const c of g.cases) {
      // Control characters in a name would garble the test report: shown escaped.
      c.name = c.name.replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (seen.has(c.name)) throw new Error(`two cases named "${c.name}"`);
      seen.add(c.name);
    }
  }
  return groups;
}
