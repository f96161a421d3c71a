import { useEffect, useId, useRef, type ReactNode } from "react";
import { Status } from "./Status";

/**
 * A modal question before a signature: the native <dialog> in modal mode (so focus is trapped and the page behind
 * is inert), focus on its first button, Escape to cancel, and focus handed back to the button that opened it.
 * Rendered only while open: the parent mounts it to ask and unmounts it to close. While `busy`, its buttons are off
 * and it says what it is waiting for (a signature, a transaction) under the question.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  busy,
  onConfirm,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** What the confirmed action is doing, in words, while it runs. */
  busy?: string;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      // The opener may have been re-rendered away (e.g. a revoked grant's button); then focus the page's main.
      if (opener?.isConnected) opener.focus();
      else document.getElementById("main")?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
      // Escape fires "cancel": keep the decision in React's state instead of letting the browser close it.
      onCancel={(e) => {
        e.preventDefault();
        if (busy === undefined) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">
        {children}
        <Status busy={busy} />
      </div>
      <div className="actions">
        <button className={danger ? "danger" : undefined} disabled={busy !== undefined} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button className="secondary" disabled={busy !== undefined} onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
