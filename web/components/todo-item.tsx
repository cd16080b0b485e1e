import { DONE, type Todo } from '../api';
import { useLang, useMessages } from '../i18n';
import { StatusBadge } from './status-badge';

interface TodoItemProps {
  todo: Todo;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onToggleDone: () => void;
  onEdit: () => void;
  onDelete: () => void;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function formatDate(iso: string, lang: string): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en';
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(new Date(iso));
}

export function TodoItem({ todo, selected, onSelect, onToggleDone, onEdit, onDelete }: TodoItemProps) {
  const t = useMessages();
  const lang = useLang();
  const nameId = `todo-${todo.key}-name`;
  const done = todo.status === DONE;
  return (
    <li class={`todo status-${todo.status}`} data-key={todo.key}>
      <input type="checkbox" class="select" checked={selected} aria-label={t.select(todo.name)} onChange={(event) => onSelect(event.currentTarget.checked)} />
      <div class="todo-main">
        <h3 id={nameId} class="todo-name">
          {todo.name}
        </h3>
        {todo.desc && <p class="todo-desc">{todo.desc}</p>}
        <p class="todo-meta">
          <StatusBadge status={todo.status} />
          <span>
            {t.updated} <time dateTime={todo.updatedAt}>{formatDate(todo.updatedAt, lang)}</time>
          </span>
        </p>
      </div>
      <div class="todo-actions">
        <button type="button" aria-describedby={nameId} onClick={onToggleDone}>
          {done ? t.reopen : t.markDone}
        </button>
        <button type="button" aria-describedby={nameId} onClick={onEdit}>
          {t.edit}
        </button>
        <button type="button" class="danger-text" aria-describedby={nameId} onClick={onDelete}>
          {t.delete}
        </button>
      </div>
    </li>
  );
}
