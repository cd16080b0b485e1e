import { useEffect, useId, useState } from 'preact/hooks';
import { STATUSES, type ListQuery, type Sorter, type Status } from '../api';
import { useMessages } from '../i18n';

type FilterFields = Pick<ListQuery, 'name' | 'desc' | 'status' | 'sorter'>;

interface FiltersProps {
  value: FilterFields;
  onChange: (fields: FilterFields) => void;
}

/** Text search applies on submit (Enter or the button); the two menus apply at once. */
export function Filters({ value, onChange }: FiltersProps) {
  const t = useMessages();
  const id = useId();
  const [name, setName] = useState(value.name);
  const [desc, setDesc] = useState(value.desc);
  useEffect(() => {
    setName(value.name);
    setDesc(value.desc);
  }, [value.name, value.desc]);

  return (
    <form
      class="filters"
      role="search"
      aria-label={t.filters}
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...value, name: name.trim(), desc: desc.trim() });
      }}
    >
      <div class="field">
        <label for={`${id}-name`}>{t.name}</label>
        <input id={`${id}-name`} type="search" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${id}-desc`}>{t.desc}</label>
        <input id={`${id}-desc`} type="search" value={desc} onInput={(event) => setDesc(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${id}-status`}>{t.status}</label>
        <select
          id={`${id}-status`}
          value={value.status ?? ''}
          onChange={(event) => {
            const picked = event.currentTarget.value;
            onChange({ ...value, status: picked === '' ? null : (Number(picked) as Status) });
          }}
        >
          <option value="">{t.anyStatus}</option>
          {STATUSES.map((status) => (
            <option value={status}>{t.statuses[status]}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-sort`}>{t.sort}</label>
        <select id={`${id}-sort`} value={value.sorter} onChange={(event) => onChange({ ...value, sorter: event.currentTarget.value as Sorter })}>
          <option value="updatedAt_descend">{t.newest}</option>
          <option value="updatedAt_ascend">{t.oldest}</option>
        </select>
      </div>
      <div class="actions">
        <button type="submit" class="primary">
          {t.search}
        </button>
        <button type="button" onClick={() => onChange({ name: '', desc: '', status: null, sorter: 'updatedAt_descend' })}>
          {t.reset}
        </button>
      </div>
    </form>
  );
}
