/**
 * An explain trace as a readable list: each block's own verdict (✓/✗), what it asks (in the
 * definition's words), why (the attribute values compared, the interactions counted) and the
 * result so far once it is combined with the blocks before it.
 */
import { Link } from 'react-router';
import type { Block } from '../../../src/definition/ast.js';
import { describeBlock, describeComparison, describeValue, RELATION_WORDS } from '../../../src/definition/describe.js';
import type * as Trace from '../../../src/engine/contact/trace.js';
import { segmentPage } from './queries';

/** One block of the API's explain answer (its `blocks[]`); in JSON, an actual instant is its ISO text. */
export type BlockTrace = Trace.BlockTrace<unknown>;
type ConditionTrace = Trace.ConditionTrace<unknown>;

const LOGIC_WORDS: Record<Trace.LogicTrace['kind'], string> = { all: 'all of these hold', any: 'at least one of these holds', not: 'this does not hold' };

function Mark({ ok }: { ok: boolean }) {
  return (
    <span className={`mark ${ok ? 'mark-ok' : 'mark-no'}`} role="img" aria-label={ok ? 'matches' : 'does not match'}>
      {ok ? '✓' : '✗'}
    </span>
  );
}

function actualText(v: unknown): string {
  return v === null || v === undefined ? 'no value' : describeValue(v);
}

function ConditionView({ c }: { c: ConditionTrace }) {
  if (c.kind === 'comparison') {
    // The trace carries the comparison's own fields, so the definition's wording applies to it.
    return (
      <li>
        <Mark ok={c.result} /> {describeComparison(c)} <span className="muted">— actual: {actualText(c.actual)}</span>
      </li>
    );
  }
  return (
    <li>
      <Mark ok={c.result} /> {LOGIC_WORDS[c.kind]}:
      <ul className="explain-conditions">
        {c.children.map((child, i) => (
          <ConditionView key={i} c={child} />
        ))}
      </ul>
    </li>
  );
}

function BlockView({ trace, block, first }: { trace: BlockTrace; block: Block | undefined; first: boolean }) {
  const relation = !first && trace.relation ? `${RELATION_WORDS[trace.relation]} ` : '';
  const words = block ? describeBlock(block) : `${trace.kind} block`;
  return (
    <li className={`explain-block ${trace.matched ? 'matched' : 'unmatched'}`}>
      <div className="explain-block-head">
        <Mark ok={trace.matched} />{' '}
        <span>
          {relation && <em>{relation}</em>}
          {relation ? words : words.charAt(0).toUpperCase() + words.slice(1)}
        </span>
      </div>
      <div className="explain-block-body">
        {trace.kind === 'segment' && block?.kind === 'segment' && (
          <p>
            {trace.matched ? 'A member of' : 'Not a member of'} segment <Link to={segmentPage(block.segment)}>{block.segment}</Link>.
          </p>
        )}
        {trace.kind === 'behavioral' && (
          <p>
            {trace.count ?? 0} matching interaction{trace.count === 1 ? '' : 's'} found: {trace.matched ? 'enough' : 'not enough'}.
          </p>
        )}
        {trace.condition && (
          <ul className="explain-conditions">
            <ConditionView c={trace.condition} />
          </ul>
        )}
        {trace.children && (
          <ExplainBlocks traces={trace.children} blocks={block?.kind === 'group' ? block.blocks : []} />
        )}
        <p className="muted">
          Result so far: <strong>{trace.running ? 'in' : 'out'}</strong>
        </p>
      </div>
    </li>
  );
}

export function ExplainBlocks({ traces, blocks }: { traces: BlockTrace[]; blocks: Block[] }) {
  if (traces.length === 0) return <p className="muted">No blocks were evaluated.</p>;
  return (
    <ol className="explain-blocks">
      {traces.map((t, i) => (
        <BlockView key={t.index} trace={t} block={blocks[t.index]} first={i === 0} />
      ))}
    </ol>
  );
}
