import type { Status } from '../api';
import { useMessages } from '../i18n';

/** The status in words and colour; the words carry the meaning, the colour only helps. */
export function StatusBadge({ status }: { status: Status }) {
  const t = useMessages();
  return <span class={`badge badge-${status}`}>{t.statuses[status]}</span>;
}
