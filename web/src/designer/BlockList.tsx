/**
 * The list of blocks, each a card with its relation to the blocks before it, its own editor
 * (profile / behavioral / segment / group), its estimate, and move / remove buttons.
 */
import { createContext, useContext, useId } from 'react';
import type { Relation, RelativeWindow, Window } from '../../../src/definition/ast.js';
import { RELATION_WORDS } from '../../../src/definition/describe.js';
import type { Segment } from '../api/types';
import { formatCount, noun } from '../ui/format';
import { AddBlockMenu, BLOCK_KINDS } from './AddBlockMenu';
import { ConditionEditor } from './ConditionEditor';
import { blockMessages, FieldErrors, IncompleteHint, useIssues } from './issues';
import { newGroup, newRule, defaultValue, type BehavioralBlockState, type BlockKind, type BlockState, type ConditionGroup } from './model';
import { COUNT_OPERATORS, RELATION_HINTS, type AttributeGroup } from './vocabulary';
import { DurationInput } from './DurationInput';

export interface BlockListContext {
  contactAttributes: AttributeGroup[];
  interactionAttributes: AttributeGroup[];
  interactionTypes: string[];
  /** How an interaction type reads ("Email opened"): its label in the schema. */
  typeLabel: (name: string) => string;
  segments: Segment[];
  /** Kinds a block may be (compound segments: segment and group only). */
  kinds: BlockKind[];
  /** Counts of the top-level blocks, by key (stale ones are dimmed). */
  estimates: Map<string, number>;
  estimateStale: boolean;
  update: (key: string, f: (b: BlockState) => BlockState) => void;
  remove: (key: string) => void;
  move: (key: string, delta: -1 | 1) => void;
  add: (parentKey: string | null, kind: BlockKind) => void;
}

export const BlockListCtx = createContext<BlockListContext | null>(null);
const useBlocks = (): BlockListContext => {
  const c = useContext(BlockListCtx);
  if (!c) throw new Error('BlockList outside its context');
  return c;
};

const kindLabel = (k: BlockKind): string => BLOCK_KINDS.find((x) => x.kind === k)?.label ?? k;

export function BlockList({ blocks, parentKey, depth }: { blocks: BlockState[]; parentKey: string | null; depth: number }) {
  const ctx = useBlocks();
  return (
    <div className="block-list">
      {blocks.length === 0 && <p className="muted block-list-empty">{depth === 0 ? 'No blocks yet. Add one to say who belongs to this segment.' : 'This group is empty.'}</p>}
      <ol className="blocks" aria-label={depth === 0 ? 'Blocks' : 'Blocks of the group'}>
        {blocks.map((b, i) => (
          <li key={b.key}>
            <BlockCard block={b} index={i} count={blocks.length} depth={depth} />
          </li>
        ))}
      </ol>
      <AddBlockMenu label={depth === 0 ? 'Add block' : 'Add to group'} kinds={ctx.kinds} onPick={(k) => ctx.add(parentKey, k)} />
    </div>
  );
}

function RelationSelect({ block }: { block: BlockState }) {
  const ctx = useBlocks();
  const issues = useIssues();
  const id = useId();
  const relation = block.relation ?? 'and_also';
  return (
    <div className="relation-row">
      <label htmlFor={id}>Relation</label>
      <select
        id={id}
        value={relation}
        aria-describedby={`${id}-hint`}
        onChange={(e) => ctx.update(block.key, (b) => ({ ...b, relation: e.target.value as Relation }))}
      >
        {(Object.keys(RELATION_WORDS) as Relation[]).map((r) => (
          <option key={r} value={r}>
            {RELATION_WORDS[r]}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="muted">
        {RELATION_HINTS[relation]}
      </span>
      <FieldErrors messages={blockMessages(issues, block.key, 'relation')} />
    </div>
  );
}

function BlockCard({ block, index, count, depth }: { block: BlockState; index: number; count: number; depth: number }) {
  const ctx = useBlocks();
  const issues = useIssues();
  const estimate = depth === 0 ? ctx.estimates.get(block.key) : undefined;
  const name = `Block ${index + 1}`;
  const own = blockMessages(issues, block.key, (f) => !['relation', 'interaction', 'segment', 'window', 'count', 'where'].includes(f));
  return (
    <section className={`block-card block-${block.kind}`}>
      {index > 0 && <RelationSelect block={block} />}
      <header className="block-head">
        <h3>
          <span className="block-kind">{kindLabel(block.kind)}</span> <span className="visually-hidden">{name}</span>
        </h3>
        {depth === 0 && (
          <span className={`block-estimate${ctx.estimateStale ? ' stale' : ''}`} title="Contacts this block matches on its own">
            <span data-testid="block-estimate" className="num">
              {estimate === undefined ? '–' : formatCount(estimate)}
            </span>{' '}
            {noun(estimate ?? 0, 'contact')}
          </span>
        )}
        <span className="block-actions">
          <button type="button" aria-label={`Move ${name.toLowerCase()} up`} title="Move up" disabled={index === 0} onClick={() => ctx.move(block.key, -1)}>
            ↑
          </button>
          <button type="button" aria-label={`Move ${name.toLowerCase()} down`} title="Move down" disabled={index === count - 1} onClick={() => ctx.move(block.key, 1)}>
            ↓
          </button>
          <button type="button" className="danger" aria-label={`Remove ${name.toLowerCase()}`} title="Remove" onClick={() => ctx.remove(block.key)}>
            ×
          </button>
        </span>
      </header>
      <div className="block-body">
        {block.kind === 'profile' && (
          <ConditionEditor
            group={block.where}
            onChange={(where) => ctx.update(block.key, (b) => ({ ...b, where }) as BlockState)}
            attributes={ctx.contactAttributes}
            blockKey={block.key}
          />
        )}
        {block.kind === 'behavioral' && <BehavioralEditor block={block} />}
        {block.kind === 'segment' && <SegmentPicker block={block} />}
        {block.kind === 'group' && <BlockList blocks={block.blocks} parentKey={block.key} depth={depth + 1} />}
      </div>
      <FieldErrors messages={own} />
    </section>
  );
}

function SegmentPicker({ block }: { block: Extract<BlockState, { kind: 'segment' }> }) {
  const ctx = useBlocks();
  const issues = useIssues();
  const id = useId();
  const known = ctx.segments.some((s) => s.id === block.segment);
  const messages = blockMessages(issues, block.key, 'segment');
  return (
    <div className="field-row">
      <label htmlFor={id}>Segment</label>
      <select id={id} value={block.segment} aria-invalid={messages.length > 0 || undefined} onChange={(e) => ctx.update(block.key, (b) => ({ ...b, segment: e.target.value }))}>
        <option value="">Choose…</option>
        {!known && block.segment !== '' && <option value={block.segment}>{block.segment}</option>}
        {ctx.segments.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.id})
          </option>
        ))}
      </select>
      {block.segment === '' && messages.length === 0 && <IncompleteHint what="choose a segment" />}
      <FieldErrors messages={messages} />
    </div>
  );
}

type WindowMode = 'none' | 'last' | 'ago' | 'between';
const windowMode = (w: Window | undefined): WindowMode => (!w ? 'none' : 'last' in w ? 'last' : 'from_ago' in w ? 'ago' : 'between');

function BehavioralEditor({ block }: { block: BehavioralBlockState }) {
  const ctx = useBlocks();
  const issues = useIssues();
  const id = useId();
  const set = (patch: Partial<BehavioralBlockState>) => ctx.update(block.key, (b) => ({ ...b, ...patch }) as BlockState);
  const setWindow = (w: Window | undefined) =>
    ctx.update(block.key, (b) => {
      const { window: _old, ...rest } = b as BehavioralBlockState;
      return (w ? { ...rest, window: w } : rest) as BlockState;
    });
  const mode = windowMode(block.window);
  const types = ctx.interactionTypes.includes(block.interaction) || block.interaction === '' ? ctx.interactionTypes : [block.interaction, ...ctx.interactionTypes];
  const count = block.count ?? { op: 'gte', value: 1 };
  const firstProperty = ctx.interactionAttributes[0]?.options[0];
  const msg = (f: string) => blockMessages(issues, block.key, (x) => x === f || x.startsWith(`${f}.`));

  return (
    <div className="behavioral">
      <div className="field-row">
        <label htmlFor={`${id}-type`}>Interaction type</label>
        <select id={`${id}-type`} value={block.interaction} onChange={(e) => set({ interaction: e.target.value })} aria-invalid={msg('interaction').length > 0 || undefined}>
          {block.interaction === '' && <option value="">Choose…</option>}
          {types.map((t) => (
            <option key={t} value={t}>
              {ctx.typeLabel(t)}
            </option>
          ))}
        </select>
        {block.interaction === '' && msg('interaction').length === 0 && <IncompleteHint what="choose an interaction type" />}
        <FieldErrors messages={msg('interaction')} />
      </div>

      <div className="field-row">
        <label htmlFor={`${id}-window`}>Window</label>
        <select
          id={`${id}-window`}
          value={mode}
          onChange={(e) => {
            const m = e.target.value as WindowMode;
            const today = new Date().toISOString().slice(0, 10);
            setWindow(
              m === 'none'
                ? undefined
                : m === 'last'
                  ? { last: { amount: 30, unit: 'days' } }
                  : m === 'ago'
                    ? { from_ago: { amount: 90, unit: 'days' }, to_ago: { amount: 30, unit: 'days' } }
                    : { from: today, to: today },
            );
          }}
        >
          <option value="none">any time</option>
          <option value="last">in the last…</option>
          <option value="ago">between … and … ago</option>
          <option value="between">between two dates</option>
        </select>
        {block.window && 'last' in block.window && (
          <DurationInput value={block.window.last} amountLabel="Amount of time" unitLabel="Time unit" onChange={(last) => setWindow({ last })} />
        )}
        {block.window && 'from_ago' in block.window && <BetweenAgo window={block.window} onChange={setWindow} />}
        {block.window && 'from' in block.window && <BetweenDates window={block.window} onChange={setWindow} />}
        <FieldErrors messages={msg('window')} />
      </div>

      <div className="field-row">
        <label htmlFor={`${id}-count`}>How many times</label>
        <select id={`${id}-count`} value={count.op} onChange={(e) => set({ count: { ...count, op: e.target.value as typeof count.op } })}>
          {COUNT_OPERATORS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <input
          type="number"
          min={0}
          className="value-number"
          aria-label="Count"
          value={Number.isFinite(count.value) ? count.value : ''}
          onChange={(e) => set({ count: { ...count, value: e.target.value === '' ? Number.NaN : Number(e.target.value) } })}
        />
        <span className="muted">{noun(count.value, 'time')}</span>
        <FieldErrors messages={msg('count')} />
      </div>

      <div className="property-filter">
        {block.where ? (
          <>
            <div className="property-filter-head">
              <span>Only interactions whose properties match</span>
              <button
                type="button"
                onClick={() =>
                  ctx.update(block.key, (b) => {
                    const { where: _w, ...rest } = b as BehavioralBlockState;
                    return rest as BlockState;
                  })
                }
              >
                Remove property filter
              </button>
            </div>
            <ConditionEditor
              group={block.where}
              onChange={(where: ConditionGroup) => set({ where })}
              attributes={ctx.interactionAttributes}
              interaction={block.interaction}
              blockKey={block.key}
            />
          </>
        ) : (
          <button
            type="button"
            disabled={!firstProperty}
            onClick={() => firstProperty && set({ where: newGroup([newRule(firstProperty.name, 'eq', defaultValue('eq', firstProperty.type))]) })}
          >
            Filter by properties
          </button>
        )}
      </div>
    </div>
  );
}

/** A window relative to now (SPEC §5.5): "between 90 days and 30 days ago"; the first must be the longer (the API names it otherwise). */
function BetweenAgo({ window, onChange }: { window: RelativeWindow; onChange: (w: Window) => void }) {
  return (
    <span className="inline-fields">
      <DurationInput value={window.from_ago} amountLabel="From how long ago" unitLabel="From unit" onChange={(from_ago) => onChange({ ...window, from_ago })} />
      <span className="muted">and</span>
      <DurationInput value={window.to_ago} amountLabel="To how long ago" unitLabel="To unit" onChange={(to_ago) => onChange({ ...window, to_ago })} />
      <span className="muted">ago</span>
    </span>
  );
}

/** A `{ from, to }` window; dates pick days, other ISO values (with a time) stay editable as text. */
function BetweenDates({ window, onChange }: { window: { from: string; to: string }; onChange: (w: Window) => void }) {
  const dateOrText = (v: string) => (v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v) ? 'date' : 'text');
  return (
    <span className="inline-fields">
      <input type={dateOrText(window.from)} aria-label="From" value={window.from} onChange={(e) => onChange({ ...window, from: e.target.value })} />
      <span className="muted">to</span>
      <input type={dateOrText(window.to)} aria-label="To" value={window.to} onChange={(e) => onChange({ ...window, to: e.target.value })} />
    </span>
  );
}
