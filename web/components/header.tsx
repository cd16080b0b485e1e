import { useEffect, useState } from 'preact/hooks';
import { currentUser, type User } from '../api';
import { useLang, useMessages } from '../i18n';

/** Only pictures from our own origin: nothing is fetched from another host. */
function ownImage(url: string): string | null {
  try {
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin ? parsed.href : null;
  } catch {
    return null;
  }
}

export function Header({ onSwitchLang }: { onSwitchLang: () => void }) {
  const t = useMessages();
  const lang = useLang();
  const [user, setUser] = useState<User | null>(null);
  // The header works without a user: a failed profile call just leaves it out.
  useEffect(() => void currentUser().then(setUser, () => setUser(null)), []);
  const avatar = user && ownImage(user.avatar);

  return (
    <header class="app-header">
      <h1>{t.title}</h1>
      <div class="header-end">
        {user && (
          <p class="user">
            {avatar ? <img src={avatar} alt="" width={32} height={32} /> : <span class="avatar-letter" aria-hidden="true">{user.name.slice(0, 1)}</span>}
            <span class="sr-only">{t.signedInAs} </span>
            <span class="user-name">{user.name}</span>
          </p>
        )}
        <button type="button" class="lang" lang={lang === 'zh' ? 'en' : 'zh'} aria-label={t.switchToLabel} onClick={onSwitchLang}>
          {t.switchTo}
        </button>
      </div>
    </header>
  );
}
