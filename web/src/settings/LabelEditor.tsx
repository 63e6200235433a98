/**
 * The display label of one attribute, relation or interaction type, edited in place: what
 * marketers read in the designer, the plain-words definition and explain instead of the name.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { LABEL_MAX_LENGTH } from '../../../src/schema/labels.js';
import { fieldIssue } from './form-errors';
import { useSetLabel, type LabelChange } from './schema-api';

interface Props {
  entity: LabelChange['entity'];
  name: string;
  /** The label shown now (the one set, or the default). */
  label: string;
  defaultLabel: string;
  /** Admins may change labels; others see them. */
  editable: boolean;
  /** How the controls name what they label, when the name alone is ambiguous ("contact.account"). */
  what?: string;
}

export function LabelEditor({ entity, name, label, defaultLabel, editable, what = name }: Props) {
  const setLabel = useSetLabel();
  const [value, setValue] = useState(label);
  // A saved (or reset) label arrives with the new schema: the field shows it.
  useEffect(() => setValue(label), [label]);
  if (!editable) return <span>{label}</span>;
  const changed = value.trim() !== label;
  const problem = setLabel.error ? (fieldIssue(setLabel.error, 'label') ?? (setLabel.error instanceof Error ? setLabel.error.message : String(setLabel.error))) : undefined;
  const errorId = `label-error-${entity}-${name}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (changed) setLabel.mutate({ entity, name, label: value });
  };
  return (
    <form className="label-form" onSubmit={submit}>
      {/* The field and its buttons stay on one line (the table gives the column room for them); an error goes below. */}
      <span className="label-controls">
        <input
          aria-label={`Label of ${what}`}
          value={value}
          maxLength={LABEL_MAX_LENGTH}
          placeholder={defaultLabel}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
        />
        <button type="submit" disabled={!changed || setLabel.isPending} aria-label={`Save the label of ${what}`}>
          Save
        </button>
        {label !== defaultLabel && (
          <button type="button" disabled={setLabel.isPending} onClick={() => setLabel.mutate({ entity, name, label: null })} aria-label={`Reset the label of ${what} to "${defaultLabel}"`}>
            Reset
          </button>
        )}
      </span>
      {problem && (
        <span className="field-error" id={errorId} role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
