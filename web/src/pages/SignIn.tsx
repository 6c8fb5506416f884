import { FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { LanguageSwitch } from '../components/Layout';
import { useI18n } from '../i18n';

export default function SignIn() {
  const { t } = useI18n();
  const { signIn, reason } = useAuth();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The page behind the sign-in is fetched while the operator types the key.
  useEffect(() => {
    void import('./Dashboard');
  }, []);

  // Catches every error itself (shown under the form): the promise it returns never rejects.
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
      setKey('');
    } catch (caught) {
      const status = caught instanceof ApiError ? caught.status : -1;
      setError(
        status === 401
          ? t('signin.wrong')
          : status === 429
            ? t('signin.throttled')
            : t('signin.failed', { message: status === 0 ? t('common.network') : (caught as Error).message }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title">
        <div className="signin-head">
          <h1 id="signin-title">{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <h2>{t('signin.title')}</h2>
        {reason && (
          <p className="notice" role="status">
            {reason === 'ended' ? t('session.ended') : t('signout.done')}
          </p>
        )}
        <p className="muted">{t('signin.intro')}</p>
        <label htmlFor="admin-key">{t('signin.key')}</label>
        <input
          id="admin-key"
          name="key"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-describedby="admin-key-hint"
        />
        <small id="admin-key-hint" className="muted">
          {t('signin.hint')}
        </small>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </form>
    </main>
  );
}
