import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** The element to focus first; the dialog's first control when omitted. */
  initialFocus?: { current: HTMLElement | null };
}

/**
 * A native modal <dialog>: the browser traps focus, makes the page behind it inert and closes it on
 * Escape. On close, focus goes back to the control that opened it.
 */
export function Modal({ title, onClose, children, initialFocus }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    initialFocus?.current?.focus();
    return () => {
      dialog.close();
      if (opener?.isConnected) opener.focus();
      else document.getElementById('list-heading')?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
