import { useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { useMessages } from '../i18n';
import { Modal } from './modal';

interface ConfirmDeleteProps {
  /** The names of the todos to delete. */
  names: string[];
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before deleting; Cancel has the focus, so a stray Enter deletes nothing. */
export function ConfirmDelete({ names, onConfirm, onClose }: ConfirmDeleteProps) {
  const t = useMessages();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);

  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await onConfirm();
    } catch (failure) {
      setError((failure as ApiError).message || t.networkError);
      setBusy(false);
    }
  };

  return (
    <Modal title={t.confirmTitle} onClose={onClose} initialFocus={cancel}>
      <p>{names.length === 1 ? t.confirmOne(names[0]) : t.confirmMany(names.length)}</p>
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" ref={cancel} onClick={onClose}>
          {t.cancel}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={confirm}>
          {t.delete}
        </button>
      </div>
    </Modal>
  );
}
