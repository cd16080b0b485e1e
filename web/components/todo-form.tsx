import { useId, useRef, useState } from 'preact/hooks';
import { ApiError, STATUSES, type Status, type Todo } from '../api';
import { useMessages } from '../i18n';
import { Modal } from './modal';

export interface TodoFields {
  name: string;
  desc: string;
  status: Status;
}

interface TodoFormProps {
  /** The todo to edit; a new one when omitted. */
  todo?: Todo;
  onSubmit: (fields: TodoFields) => Promise<void>;
  onClose: () => void;
}

/** Create or edit a todo in a dialog. The name is checked here; everything else by the server. */
export function TodoForm({ todo, onSubmit, onClose }: TodoFormProps) {
  const t = useMessages();
  const [name, setName] = useState(todo?.name ?? '');
  const [desc, setDesc] = useState(todo?.desc ?? '');
  const [status, setStatus] = useState<Status>(todo?.status ?? 1);
  const [nameError, setNameError] = useState('');
  const [serverError, setServerError] = useState('');
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const id = useId();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setNameError(t.nameRequired);
      nameInput.current?.focus();
      return;
    }
    setBusy(true);
    setServerError('');
    try {
      await onSubmit({ name: name.trim(), desc, status });
    } catch (error) {
      setServerError((error as ApiError).message || t.networkError);
      setBusy(false);
    }
  };

  return (
    <Modal title={todo ? t.editTitle : t.createTitle} onClose={onClose} initialFocus={nameInput}>
      <form class="todo-form" noValidate onSubmit={submit}>
        <div class="field">
          <label for={`${id}-name`}>{t.name}</label>
          <input
            id={`${id}-name`}
            ref={nameInput}
            value={name}
            required
            aria-required="true"
            aria-invalid={nameError ? 'true' : undefined}
            aria-describedby={nameError ? `${id}-name-error` : undefined}
            onInput={(event) => {
              setName(event.currentTarget.value);
              if (nameError) setNameError('');
            }}
          />
          {nameError && (
            <p id={`${id}-name-error`} class="field-error">
              {nameError}
            </p>
          )}
        </div>
        <div class="field">
          <label for={`${id}-desc`}>{t.descOptional}</label>
          <textarea id={`${id}-desc`} rows={3} value={desc} onInput={(event) => setDesc(event.currentTarget.value)} />
        </div>
        {todo && (
          <div class="field">
            <label for={`${id}-status`}>{t.status}</label>
            <select id={`${id}-status`} value={status} onChange={(event) => setStatus(Number(event.currentTarget.value) as Status)}>
              {STATUSES.map((value) => (
                <option value={value}>{t.statuses[value]}</option>
              ))}
            </select>
          </div>
        )}
        {serverError && (
          <p class="alert" role="alert">
            {serverError}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {todo ? t.save : t.create}
          </button>
        </div>
      </form>
    </Modal>
  );
}
