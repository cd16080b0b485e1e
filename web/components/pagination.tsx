import { useId } from 'preact/hooks';
import { useMessages } from '../i18n';

export const PAGE_SIZES = [10, 20, 50];

interface PaginationProps {
  current: number;
  pageSize: number;
  total: number;
  onChange: (current: number, pageSize: number) => void;
}

export function Pagination({ current, pageSize, total, onChange }: PaginationProps) {
  const t = useMessages();
  const id = useId();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav class="pagination" aria-label={t.pagination}>
      <p class="total">{t.total(total)}</p>
      <div class="pager">
        <button type="button" disabled={current <= 1} onClick={() => onChange(current - 1, pageSize)}>
          {t.previous}
        </button>
        <span class="page-of" aria-live="polite">
          {t.pageOf(current, pages)}
        </span>
        <button type="button" disabled={current >= pages} onClick={() => onChange(current + 1, pageSize)}>
          {t.next}
        </button>
      </div>
      <div class="field inline">
        <label for={`${id}-size`}>{t.pageSize}</label>
        <select id={`${id}-size`} value={pageSize} onChange={(event) => onChange(1, Number(event.currentTarget.value))}>
          {PAGE_SIZES.map((size) => (
            <option value={size}>{size}</option>
          ))}
        </select>
      </div>
    </nav>
  );
}
