import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * Asks before something that cannot be undone. A modal `<dialog>`: the browser keeps focus inside
 * it, Escape backs out, and focus returns to the control that opened it when it closes.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  keepLabel,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  keepLabel: string;
  onConfirm(): void;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-body`}
      onClose={onClose}
    >
      <h2 id={`${ids}-title`}>{title}</h2>
      <div id={`${ids}-body`}>{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {keepLabel}
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
