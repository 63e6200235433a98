/**
 * Find a contact by typing part of its name, email or id: a combobox (ARIA 1.2 pattern) whose
 * options come from GET /contacts?search= as one types. Arrow keys move through the options,
 * Enter picks the highlighted one (with none highlighted: the only match, else what was typed,
 * taken as an id), Escape closes the list.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ContactRecord, Page } from '../api/types';
import { useDebounced } from '../ui/useDebounced';
import { contactName } from './format-value';

const OPTIONS = 8;

interface Props {
  label: string;
  /**
   * The contact asked about now (the page's ?contact=). The box shows it, and shows the new one
   * whenever it changes from outside (a link, Back), rather than what was typed for the last.
   */
  current?: string;
  onPick: (contactId: string) => void;
}

export function ContactSearchBox({ label, current = '', onPick }: Props) {
  const ids = useId();
  const [text, setText] = useState(current);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Adjusted while rendering (React's pattern for state that follows a prop), so no frame shows the old contact.
  const [shown, setShown] = useState(current);
  if (shown !== current) {
    setShown(current);
    setText(current);
    setOpen(false);
    setActive(-1);
  }
  const settled = useDebounced(text.trim());
  const found = useQuery({
    queryKey: ['contacts', 'search-box', settled],
    queryFn: ({ signal }) => api<Page<ContactRecord>>('/contacts', { query: { search: settled, limit: OPTIONS }, signal }),
    enabled: open && settled !== '',
    placeholderData: keepPreviousData,
  });
  const options = open && settled !== '' ? (found.data?.items ?? []) : [];
  const pick = (id: string) => {
    setText(id);
    setOpen(false);
    setActive(-1);
    onPick(id);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length ? (a + 1) % options.length : -1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (options.length ? (a <= 0 ? options.length - 1 : a - 1) : -1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // The highlighted match; else the only match; else what was typed, as an id.
      const typed = text.trim();
      const chosen = options[active] ?? (options.length === 1 && options[0]!.id !== typed ? options[0] : undefined);
      if (chosen) pick(chosen.id);
      else if (typed) pick(typed);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const listId = `${ids}-list`;
  const optionId = (i: number) => `${ids}-opt-${i}`;
  return (
    <div className="search-box">
      <label htmlFor={`${ids}-input`}>{label}</label>
      <div className="search-box-field">
        <input
          id={`${ids}-input`}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-activedescendant={active >= 0 && options[active] ? optionId(active) : undefined}
          value={text}
          placeholder="Name, email or id…"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <ul id={listId} role="listbox" aria-label={`${label}: matches`} className="search-box-options" hidden={options.length === 0}>
          {options.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // Picked before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c.id);
              }}
            >
              <span className="option-name">{contactName(c)}</span> <span className="muted">{typeof c.email === 'string' ? c.email : ''}</span>{' '}
              <code className="muted small">{c.id}</code>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
