/**
 * The UI's own modal dialog, on the browser's <dialog> shown with showModal(): the page behind
 * is inert (focus stays in the dialog), Escape cancels, the title labels it, and focus returns
 * to what had it when the dialog closes. `useConfirm` asks a yes/no question with it, in place
 * of window.confirm (which cannot be styled, labelled or tested, and blocks the page).
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  /** Escape, the close button or a Cancel: the dialog is gone either way. */
  onClose: () => void;
  children: ReactNode;
  /** Says what the dialog asks, for screen readers (aria-describedby). */
  describedBy?: string;
}

export function Dialog({ open, title, onClose, children, describedBy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // What had the focus before: it gets it back when the dialog closes (if it is still there).
  const before = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      before.current = document.activeElement;
      dialog.showModal();
    }
    if (!open && dialog.open) {
      dialog.close();
      if (before.current instanceof HTMLElement && before.current.isConnected) before.current.focus();
    }
  }, [open]);
  // Unmounted while open (a dialog rendered only while needed): the focus goes back all the same.
  useEffect(
    () => () => {
      if (before.current instanceof HTMLElement && before.current.isConnected) before.current.focus();
    },
    [],
  );
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Escape fires `cancel`; the dialog's state stays with React, which closes it.
    const cancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} aria-describedby={describedBy}>
      {open && (
        <>
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** A destructive action: its button is red, and focus starts on Cancel. */
  danger?: boolean;
}

/** `[dialog, confirm]`: render `dialog`; `await confirm({...})` is true when the user confirmed. */
export function useConfirm(): [ReactNode, (options: ConfirmOptions) => Promise<boolean>] {
  const [asked, setAsked] = useState<(ConfirmOptions & { resolve: (ok: boolean) => void }) | null>(null);
  const messageId = useId();
  const answer = (ok: boolean) => {
    asked?.resolve(ok);
    setAsked(null);
  };
  const confirm = useCallback((options: ConfirmOptions) => new Promise<boolean>((resolve) => setAsked({ ...options, resolve })), []);
  const dialog = (
    <Dialog open={asked !== null} title={asked?.title ?? ''} onClose={() => answer(false)} describedBy={messageId}>
      {asked && (
        <>
          <div id={messageId} className="dialog-body">
            {asked.message}
          </div>
          <div className="dialog-actions">
            <button type="button" onClick={() => answer(false)} autoFocus={asked.danger}>
              Cancel
            </button>
            <button type="button" className={asked.danger ? 'danger-solid' : 'primary'} onClick={() => answer(true)} autoFocus={!asked.danger}>
              {asked.confirmLabel}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
  return [dialog, confirm];
}
