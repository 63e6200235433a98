/**
 * The value part of a condition, shaped by its operator (operators.ts `valueShape`) and typed by
 * its attribute: text with suggestions of the data's distinct values, numbers, true/false,
 * dates, [low, high] pairs, lists, relative windows (amount + unit) and months.
 */
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ValueEditorProps } from 'react-querybuilder';
import { api } from '../api/client';
import { useDebounced } from '../ui/useDebounced';
import type { AttributeType } from '../api/types';
import type { Duration, Operator, Scalar } from '../../../src/definition/ast.js';
import { ISO_DATE, valueShape } from '../../../src/definition/operators.js';
import type { ComparisonValue } from './model';
import { MONTHS } from './vocabulary';
import { DurationInput } from './DurationInput';
import { FieldErrors, IncompleteHint } from './issues';

export interface ConditionContext {
  typeOf: (field: string) => AttributeType;
  labelOf: (field: string) => string;
  /** Set for a behavioral block's property filter: values are looked up per interaction type. */
  interaction?: string;
  messagesFor: (ruleId: string) => string[];
  /** Does this rule still lack its value? */
  isIncomplete: (ruleId: string) => boolean;
}

interface DistinctValues {
  items: { value: Scalar; count: number }[];
}

/** The data's distinct values of an attribute, most frequent first; [] when the lookup fails (free text then). */
function useDistinctValues(attr: string, interaction: string | undefined, typed: string, wanted: boolean): Scalar[] {
  const search = useDebounced(typed, 250);
  const enabled = wanted;
  const q = useQuery({
    queryKey: ['schema-values', interaction ?? null, attr, search],
    queryFn: ({ signal }) =>
      api<DistinctValues>('/schema/values', { query: { attr, interaction, search, limit: 50 }, signal }),
    enabled: enabled && attr !== '',
    staleTime: 60_000,
    retry: false,
  });
  return q.data?.items.map((i) => i.value) ?? [];
}


type SetValue = (v: ComparisonValue) => void;

function parseScalar(raw: string, type: AttributeType): Scalar {
  if (type === 'number') return raw.trim() === '' ? '' : Number(raw);
  if (type === 'boolean') return raw === 'true';
  return raw;
}

interface ScalarProps {
  value: Scalar | undefined;
  type: AttributeType;
  label: string;
  onChange: (v: Scalar) => void;
  suggestions?: string;
  invalid: boolean;
  onSearch?: (s: string) => void;
}

function ScalarInput({ value, type, label, onChange, suggestions, invalid, onSearch }: ScalarProps) {
  const common = { 'aria-label': label, 'aria-invalid': invalid || undefined } as const;
  if (type === 'boolean') {
    return (
      <select {...common} value={String(value ?? true)} onChange={(e) => onChange(e.target.value === 'true')}>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  if (type === 'number') {
    return <input {...common} type="number" className="value-number" value={value === undefined ? '' : String(value)} onChange={(e) => onChange(parseScalar(e.target.value, type))} />;
  }
  if ((type === 'date' || type === 'datetime') && (value === '' || value === undefined || (typeof value === 'string' && ISO_DATE.test(value)))) {
    return <input {...common} type="date" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <input
      {...common}
      type="text"
      value={value === undefined ? '' : String(value)}
      list={suggestions}
      placeholder={type === 'date' || type === 'datetime' ? '2024-05-31T12:00:00Z' : undefined}
      onChange={(e) => {
        onChange(e.target.value);
        onSearch?.(e.target.value);
      }}
    />
  );
}

function ListInput({ values, type, label, onChange, suggestions, invalid, onSearch }: { values: Scalar[]; type: AttributeType; label: string; onChange: (v: Scalar[]) => void; suggestions: string | undefined; invalid: boolean; onSearch: (s: string) => void }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    if (draft.trim() === '') return;
    const v = parseScalar(draft.trim(), type);
    if (!values.includes(v)) onChange([...values, v]);
    setDraft('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && draft === '' && values.length > 0) onChange(values.slice(0, -1));
  };
  return (
    <span className="value-list">
      {values.map((v, i) => (
        <span className="chip" key={`${String(v)}-${i}`}>
          {String(v)}
          <button type="button" aria-label={`Remove ${String(v)}`} onClick={() => onChange(values.filter((_, j) => j !== i))}>
            ×
          </button>
        </span>
      ))}
      <input
        aria-label={`${label}: add a value`}
        aria-invalid={invalid || undefined}
        type={type === 'number' ? 'number' : 'text'}
        list={suggestions}
        value={draft}
        placeholder="type, Enter to add"
        onChange={(e) => {
          setDraft(e.target.value);
          onSearch(e.target.value);
        }}
        onKeyDown={onKey}
        onBlur={add}
      />
    </span>
  );
}

const asDuration = (v: ComparisonValue): Duration =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { amount: 30, unit: 'days' };
const asScalar = (v: ComparisonValue): Scalar | undefined => (v === undefined || Array.isArray(v) || typeof v === 'object' ? undefined : v);

/** react-querybuilder's `valueEditor`, replaced by one that speaks our value shapes. */
export function ConditionValueEditor(props: ValueEditorProps) {
  const ctx = props.context as ConditionContext;
  const field = props.field;
  const op = props.operator as Operator;
  const type = ctx.typeOf(field);
  const label = `${ctx.labelOf(field)} value`;
  const value = props.value as ComparisonValue;
  const set: SetValue = (v) => props.handleOnChange(v);
  const listId = useId();
  const [search, setSearch] = useState('');
  const shape = valueShape(op);
  const wantsSuggestions = type === 'string' && (shape === 'scalar' || shape === 'list' || shape === 'pair');
  const suggestions = useDistinctValues(field, ctx.interaction, search, wantsSuggestions && !['contains', 'not_contains', 'starts_with', 'ends_with'].includes(op));
  // Only point at the datalist when it has something, or the browser draws an empty dropdown arrow.
  const listRef = suggestions.length > 0 ? listId : undefined;
  const messages = ctx.messagesFor(props.rule.id ?? '');
  const invalid = messages.length > 0;
  const errorsId = `${listId}-errors`;

  let editor: ReactNode = null;
  switch (shape) {
    case 'none':
      break;
    case 'scalar':
      editor = <ScalarInput value={asScalar(value)} type={type} label={label} onChange={set} suggestions={listRef} invalid={invalid} onSearch={setSearch} />;
      break;
    case 'pair': {
      const pair = Array.isArray(value) ? value : [];
      editor = (
        <span className="value-pair">
          <ScalarInput value={pair[0]} type={type} label={`${label}: from`} onChange={(v) => set([v, pair[1] ?? ''])} suggestions={listRef} invalid={invalid} />
          <span className="muted">and</span>
          <ScalarInput value={pair[1]} type={type} label={`${label}: to`} onChange={(v) => set([pair[0] ?? '', v])} suggestions={listRef} invalid={invalid} />
        </span>
      );
      break;
    }
    case 'list':
      editor = <ListInput values={Array.isArray(value) ? value : []} type={type} label={label} onChange={set} suggestions={listRef} invalid={invalid} onSearch={setSearch} />;
      break;
    case 'duration':
      editor = <DurationInput value={asDuration(value)} amountLabel={`${label}: amount`} unitLabel={`${label}: unit`} onChange={set} invalid={invalid} />;
      break;
    case 'month':
      editor = (
        <select aria-label={`${label}: month`} aria-invalid={invalid || undefined} value={String(value ?? 'current')} onChange={(e) => set(e.target.value === 'current' ? 'current' : Number(e.target.value))}>
          <option value="current">the current month</option>
          {MONTHS.map((m, i) => (
            <option key={m} value={i + 1}>
              {m}
            </option>
          ))}
        </select>
      );
      break;
  }
  return (
    <span className="rule-value-wrap" aria-describedby={invalid ? errorsId : undefined}>
      {editor}
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={String(s)} value={String(s)} />
          ))}
        </datalist>
      )}
      {!invalid && ctx.isIncomplete(props.rule.id ?? '') && <IncompleteHint what={shape === 'list' ? 'add a value' : 'enter a value'} />}
      <FieldErrors id={errorsId} messages={messages} />
    </span>
  );
}
