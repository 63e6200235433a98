/**
 * "Add block" menu button (WAI-ARIA menu button pattern): Enter/Space/ArrowDown opens it,
 * arrows move, Enter picks, Escape closes and gives the focus back.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { BlockKind } from './model';

export const BLOCK_KINDS: { kind: BlockKind; label: string; hint: string }[] = [
  { kind: 'profile', label: 'Profile', hint: 'contact and account attributes' },
  { kind: 'behavioral', label: 'Behavioral', hint: 'what contacts did, how often, when' },
  { kind: 'segment', label: 'Segment', hint: 'members of another segment' },
  { kind: 'group', label: 'Group', hint: 'blocks in parentheses' },
];

export function AddBlockMenu({ label, kinds, onPick }: { label: string; kinds: BlockKind[]; onPick: (k: BlockKind) => void }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();
  const items = BLOCK_KINDS.filter((k) => kinds.includes(k.kind));

  useEffect(() => {
    if (!open) return;
    (menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active])?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const openAt = (i: number) => {
    setActive(i);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const pick = (k: BlockKind) => {
    close(true);
    onPick(k);
  };
  const onMenuKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => (a + 1) % items.length);
    else if (e.key === 'ArrowUp') setActive((a) => (a - 1 + items.length) % items.length);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(items.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') close(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  return (
    <div className="add-block">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            openAt(0);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            openAt(items.length - 1);
          }
        }}
      >
        <span aria-hidden="true">+</span> {label}
      </button>
      {open && (
        <ul ref={menu} id={id} role="menu" aria-label={label} className="add-block-menu" onKeyDown={onMenuKey}>
          {items.map((k, i) => (
            <li
              key={k.kind}
              role="menuitem"
              tabIndex={i === active ? 0 : -1}
              aria-label={k.label}
              aria-describedby={`${id}-${k.kind}`}
              onClick={() => pick(k.kind)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  pick(k.kind);
                }
              }}
            >
              <strong>{k.label}</strong>{' '}
              <span id={`${id}-${k.kind}`} className="muted">
                {k.hint}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
