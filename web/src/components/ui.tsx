import { ReactNode, useEffect, useRef } from 'react';
import { ApiError, EventItem, faceOf, thumbnail } from '../api';
import { MessageKey, useI18n } from '../i18n';

export function Spinner() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const message =
    error instanceof ApiError ? (error.status === 0 ? t('common.network') : error.message) : String((error as Error)?.message ?? error);
  return (
    <div className="error" role="alert">
      {t('common.error', { message })}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Loading, error or the content. */
export function QueryState({
  query,
  children,
}: {
  query: { isPending: boolean; error: unknown; refetch: () => unknown };
  children: () => ReactNode;
}) {
  if (query.error) return <ErrorBox error={query.error} retry={() => void query.refetch()} />;
  if (query.isPending) return <Spinner />;
  return <>{children()}</>;
}

/** A thumbnail, or a placeholder; lazily loaded, through the session cookie. */
export function Thumb({
  url,
  size,
  alt,
  className,
  eager = false,
}: {
  url: string | null | undefined;
  size: 96 | 192 | 384;
  alt: string;
  className?: string;
  /** In a virtualised list every rendered image is wanted now: the browser's lazy loading only delays it. */
  eager?: boolean;
}) {
  const { t } = useI18n();
  const src = thumbnail(url, size);
  if (!src) {
    return (
      <div className={`thumb placeholder ${className ?? ''}`} role="img" aria-label={`${alt}: ${t('events.noFace')}`}>
        <svg viewBox="0 0 24 24" aria-hidden="true" width="40%" height="40%">
          <circle cx="12" cy="8" r="4" fill="currentColor" />
          <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="currentColor" />
        </svg>
      </div>
    );
  }
  return <img className={`thumb ${className ?? ''}`} src={src} alt={alt} loading={eager ? 'eager' : 'lazy'} decoding="async" />;
}

export function FaceThumb({
  item,
  size,
  className,
  eager,
  data,
}: {
  item: EventItem;
  size: 96 | 192 | 384;
  className?: string;
  eager?: boolean;
  data?: string;
}) {
  if (data) return <img className={`thumb ${className ?? ''}`} src={data} alt={item.identity_name} decoding="async" />;
  const face = faceOf(item);
  return <Thumb url={face?.thumbnail_url} size={size} alt={item.identity_name} className={className} eager={eager} />;
}

export function PersonTypeBadge({ type }: { type: number }) {
  const { t } = useI18n();
  return <span className={`badge pt-${type}`}>{t(`pt.${type}` as MessageKey)}</span>;
}

export function StatusBadge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'neutral'; children: ReactNode }) {
  return <span className={`badge tone-${tone}`}>{children}</span>;
}

/** A side panel over the page: Esc and the close button close it; focus moves in and back. */
export function Drawer({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside className="drawer" role="dialog" aria-modal="true" aria-label={title} onClick={(event) => event.stopPropagation()}>
        <header className="drawer-head">
          <h2>{title}</h2>
          <button ref={closeButton} type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')}>
            ×
          </button>
        </header>
        <div className="drawer-body">{children}</div>
      </aside>
    </div>
  );
}

export function Tabs<T extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: [T, string][];
  onChange: (value: T) => void;
  label: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {options.map(([option, text]) => (
        <button
          key={option}
          type="button"
          role="tab"
          aria-selected={value === option}
          className={value === option ? 'tab active' : 'tab'}
          onClick={() => onChange(option)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
