/**
 * An explain trace as a readable list: each block's own verdict (✓/✗), what it asks (in the
 * definition's words, names under their labels), why (the attribute values compared, the
 * interactions counted) and the result so far once it is combined with the blocks before it.
 * A `but not` block reads by its effect: keeping the contact is a pass, taking it out is said
 * plainly ("excluded by this block"), neither is shown as a failure.
 */
import { Link } from 'react-router';
import type { Block } from '../../../src/definition/ast.js';
import { describeBlock, describeComparison, describeValue, plural, RELATION_WORDS } from '../../../src/definition/describe.js';
import { blockOutcomes, type BlockOutcome } from '../../../src/engine/contact/block-outcome.js';
import type * as Trace from '../../../src/engine/contact/trace.js';
import type { Labels } from '../../../src/schema/labels.js';
import type { RecordKind } from '../../../src/schema/types.js';
import { useLabels } from '../api/labels';
import { segmentPage } from './queries';

/** One block of the API's explain answer (its `blocks[]`); in JSON, an actual instant is its ISO text. */
export type BlockTrace = Trace.BlockTrace<unknown>;
type ConditionTrace = Trace.ConditionTrace<unknown>;

const LOGIC_WORDS: Record<Trace.LogicTrace['kind'], string> = { all: 'all of these hold', any: 'at least one of these holds', not: 'this does not hold' };

/** How each outcome shows: its mark, the words a screen reader says for it, and the block's style. */
const OUTCOME_VIEW: Record<BlockOutcome, { mark: string; said: string; style: string }> = {
  matched: { mark: '✓', said: 'matches', style: 'matched' },
  unmatched: { mark: '✗', said: 'does not match', style: 'unmatched' },
  kept: { mark: '✓', said: 'not excluded', style: 'matched' },
  excluded: { mark: '−', said: 'excluded by this block', style: 'excluded' },
  already_out: { mark: '·', said: 'changes nothing', style: 'neutral' },
};

/** What a `but not` block's outcome means for the contact, in a sentence. */
const BUT_NOT_WORDS: Partial<Record<BlockOutcome, string>> = {
  kept: 'Not excluded: the contact does not match this, so this block keeps the contact.',
  excluded: 'Excluded by this block: the contact matches it, so this block takes the contact out.',
  already_out: 'Changes nothing: the contact was already out before this block.',
};

function Mark({ ok }: { ok: boolean }) {
  return (
    <span className={`mark ${ok ? 'mark-ok' : 'mark-no'}`} role="img" aria-label={ok ? 'matches' : 'does not match'}>
      {ok ? '✓' : '✗'}
    </span>
  );
}

function OutcomeMark({ outcome }: { outcome: BlockOutcome }) {
  const view = OUTCOME_VIEW[outcome];
  return (
    <span className={`mark mark-${view.style}`} role="img" aria-label={view.said}>
      {view.mark}
    </span>
  );
}

function actualText(v: unknown): string {
  return v === null || v === undefined ? 'no value' : describeValue(v);
}

function ConditionView({ c, labels, kind }: { c: ConditionTrace; labels: Labels; kind: RecordKind }) {
  if (c.kind === 'comparison') {
    // The trace carries the comparison's own fields, so the definition's wording applies to it.
    return (
      <li>
        <Mark ok={c.result} /> {describeComparison(c, labels, kind)} <span className="muted">— actual: {actualText(c.actual)}</span>
      </li>
    );
  }
  return (
    <li>
      <Mark ok={c.result} /> {LOGIC_WORDS[c.kind]}:
      <ul className="explain-conditions">
        {c.children.map((child, i) => (
          <ConditionView key={i} c={child} labels={labels} kind={kind} />
        ))}
      </ul>
    </li>
  );
}

function BlockView({ trace, block, first, outcome, labels }: { trace: BlockTrace; block: Block | undefined; first: boolean; outcome: BlockOutcome; labels: Labels }) {
  const relation = !first && trace.relation ? `${RELATION_WORDS[trace.relation]} ` : '';
  const words = block ? describeBlock(block, labels) : `${trace.kind} block`;
  const butNot = trace.relation === 'but_not';
  const count = trace.count ?? 0;
  return (
    <li className={`explain-block ${OUTCOME_VIEW[outcome].style}`}>
      <div className="explain-block-head">
        <OutcomeMark outcome={outcome} />{' '}
        <span>
          {relation && <em>{relation}</em>}
          {relation ? words : words.charAt(0).toUpperCase() + words.slice(1)}
        </span>
      </div>
      <div className="explain-block-body">
        {butNot && <p className={`explain-outcome outcome-${outcome}`}>{BUT_NOT_WORDS[outcome]}</p>}
        {trace.kind === 'segment' && block?.kind === 'segment' && (
          <p>
            {trace.matched ? 'A member of' : 'Not a member of'} segment <Link to={segmentPage(block.segment)}>{labels.segment(block.segment)}</Link>.
          </p>
        )}
        {trace.kind === 'behavioral' && (
          <p>
            {plural(count, 'matching interaction')} found{butNot ? '.' : `: ${trace.matched ? 'enough' : 'not enough'}.`}
          </p>
        )}
        {trace.condition && (
          <ul className="explain-conditions">
            <ConditionView c={trace.condition} labels={labels} kind={block?.kind === 'behavioral' ? 'interaction' : 'contact'} />
          </ul>
        )}
        {trace.children && <ExplainBlocks traces={trace.children} blocks={block?.kind === 'group' ? block.blocks : []} />}
        <p className="muted">
          Result so far: <strong>{trace.running ? 'in' : 'out'}</strong>
        </p>
      </div>
    </li>
  );
}

export function ExplainBlocks({ traces, blocks }: { traces: BlockTrace[]; blocks: Block[] }) {
  const labels = useLabels();
  if (traces.length === 0) return <p className="muted">No blocks were evaluated.</p>;
  const outcomes = blockOutcomes(traces);
  return (
    <ol className="explain-blocks">
      {traces.map((t, i) => (
        <BlockView key={t.index} trace={t} block={blocks[t.index]} first={i === 0} outcome={outcomes[i]!} labels={labels} />
      ))}
    </ol>
  );
}
