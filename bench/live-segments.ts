import type { SegmentDefinition } from '../src/definition/ast.js';

const STATES = ['AZ', 'CA', 'TX', 'NY', 'WA', 'FL', 'IL', 'CO', 'GA', 'OR'];
const INDUSTRIES = ['Software', 'Manufacturing', 'Healthcare', 'Finance', 'Retail', 'Education'];
const last = (amount: number) => ({ last: { amount, unit: 'days' as const } });

/** 100 live segments of mixed kinds for the live benchmark: profile, behavioral (windows, counts), compound. */
export function liveBenchSegments(): SegmentDefinition[] {
  const out: SegmentDefinition[] = [];
  const add = (id: string, query: SegmentDefinition['query'], type: 'dynamic' | 'compound' = 'dynamic'): void => {
    out.push({ id, name: id, type, query });
  };
  for (const s of STATES) add(`state-${s.toLowerCase()}`, { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: s } }] });
  for (const i of INDUSTRIES) {
    add(`industry-${i.toLowerCase()}`, { blocks: [{ kind: 'profile', where: { attr: 'account.industry', op: 'eq', value: i } }] });
  }
  for (const score of [20, 40, 60, 80]) add(`score-${score}`, { blocks: [{ kind: 'profile', where: { all: [{ attr: 'score', op: 'gte', value: score }, { attr: 'email_consent', op: 'eq', value: true }] } }] });
  const types = ['email_open', 'email_click', 'website_visit', 'form_submit', 'event_registration'];
  for (const t of types) {
    for (const days of [1, 7, 30, 90]) add(`${t.replace('_', '-')}-${days}d`, { blocks: [{ kind: 'behavioral', interaction: t, window: last(days) }] });
    add(`${t.replace('_', '-')}-3x-30d`, { blocks: [{ kind: 'behavioral', interaction: t, window: last(30), count: { op: 'gte', value: 3 } }] });
    add(`no-${t.replace('_', '-')}-60d`, { blocks: [{ kind: 'behavioral', interaction: t, window: last(60), count: { op: 'eq', value: 0 } }] });
  }
  for (const [k, s] of STATES.slice(0, 5).entries()) {
    for (const [j, t] of types.slice(0, 3).entries()) {
      add(`${s.toLowerCase()}-${t.replace('_', '-')}-30d-no-form`, {
        blocks: [
          { kind: 'profile', where: { attr: 'state', op: 'eq', value: s } },
          { relation: 'and_also', kind: 'behavioral', interaction: t, window: last(30 + k + j) },
          { relation: 'but_not', kind: 'behavioral', interaction: 'form_submit' },
        ],
      });
    }
  }
  for (const i of INDUSTRIES) {
    add(`${i.toLowerCase()}-new-contacts`, {
      blocks: [
        { kind: 'profile', where: { all: [{ attr: 'account.industry', op: 'eq', value: i }, { attr: 'created_at', op: 'in_last', value: { amount: 180, unit: 'days' } }] } },
      ],
    });
  }
  // Compounds built from the segments above (created after their parts).
  const parts = out.map((s) => s.id);
  let n = 0;
  while (out.length < 100) {
    const a = parts[(n * 7) % parts.length]!;
    const b = parts[(n * 13 + 5) % parts.length]!;
    if (a !== b) {
      add(`compound-${n}`, { blocks: [{ kind: 'segment', segment: a }, { relation: n % 2 ? 'and_also' : 'but_not', kind: 'segment', segment: b }] }, 'compound');
    }
    n++;
  }
  return out;
}
