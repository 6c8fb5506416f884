import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, Conflict, EventDetail, GalleryChange, Hook, IMAGE_KINDS, ImageKind, Page, withQuery } from '../api';
import { Drawer, ErrorBox, PersonTypeBadge, Spinner, StatusBadge } from '../components/ui';
import { reasonText } from '../reasons';
import { MessageKey, useI18n } from '../i18n';

/** The detail of one event: images, every field, face quality, hooks, the gallery's outcome, the original. */
export default function EventDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const detail = useQuery({ queryKey: ['event', id], queryFn: ({ signal }) => api<EventDetail>(`/api/events/${id}`, { signal }) });
  return (
    <Drawer title={t('detail.title', { id })} onClose={onClose}>
      {detail.error instanceof ApiError && detail.error.status === 404 ? (
        <p>{t('detail.notFound')}</p>
      ) : detail.error ? (
        <ErrorBox error={detail.error} retry={() => void detail.refetch()} />
      ) : !detail.data ? (
        <Spinner />
      ) : (
        <EventDetailView event={detail.data} />
      )}
    </Drawer>
  );
}

function EventDetailView({ event }: { event: EventDetail }) {
  const { t, dateTime } = useI18n();
  const x = event.ext_data;
  const fields: [string, React.ReactNode][] = [
    ['identity_name', event.identity_name],
    ['identity_id', event.identity_id],
    ['group_name', event.group_name],
    ['person_type', <PersonTypeBadge key="pt" type={x.person_type} />],
    ['want_action', `${event.want_action} · ${t(`wa.${event.want_action}` as MessageKey)}`],
    ['score', event.score],
    [t('detail.eventTime'), `${dateTime(event.event_time)} (${event.timestamp})`],
    [t('detail.receivedAt'), dateTime(event.received_at)],
    [t('detail.receivedFrom'), event.received_from ?? '—'],
    ['dev_sno', x.dev_sno || '—'],
    ['ep_id', x.ep_id],
    ['device_ip', x.device_ip],
    ['device_type', `${x.device_type} · ${t(`dt.${x.device_type}` as MessageKey) ?? ''}`],
  ];
  return (
    <div className="detail">
      <EventConflicts id={event.id} />
      <section aria-labelledby="detail-images">
        <h3 id="detail-images">{t('detail.images')}</h3>
        <div className="detail-images">
          {IMAGE_KINDS.map((kind) => (
            <DetailImage key={kind} event={event} kind={kind} />
          ))}
        </div>
      </section>
      <p>
        <Link to={`/people/${encodeURIComponent(event.identity_id)}?group=${encodeURIComponent(event.group_name)}`}>
          {t('detail.personPage')} →
        </Link>
      </p>
      <section aria-labelledby="detail-quality">
        <h3 id="detail-quality">{t('detail.quality')}</h3>
        <Quality box={x.box_fiqa_info} grab={x.grab_fiqa_info} />
      </section>
      <section aria-labelledby="detail-fields">
        <h3 id="detail-fields">{t('detail.fields')}</h3>
        <dl className="fields">
          {fields.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {(event.extra_fields || x.extra_fields) && (
          <>
            <h4>{t('detail.extra')}</h4>
            <pre className="json">{JSON.stringify({ ...event.extra_fields, ext_data: x.extra_fields ?? undefined }, null, 2)}</pre>
          </>
        )}
      </section>
      <EventHooks id={event.id} />
      <GalleryOutcomes id={event.id} />
      <Original id={event.id} />
    </div>
  );
}

/** The image, and on the scene the box around the face the camera reported (grab_fiqa_info.rect). */
function DetailImage({ event, kind }: { event: EventDetail; kind: ImageKind }) {
  const { t } = useI18n();
  const image = event.images[kind];
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  if (!image?.url) return null;
  const rect =
    kind === 'spot_pic'
      ? (event.ext_data.grab_fiqa_info.rect as { top: number; bottom: number; left: number; right: number } | undefined)
      : undefined;
  // The box is drawn only where the camera's coordinates fit the photo it sent.
  const fits =
    rect &&
    size &&
    rect.left >= 0 &&
    rect.top >= 0 &&
    rect.right <= size.width &&
    rect.bottom <= size.height &&
    rect.right > rect.left &&
    rect.bottom > rect.top;
  return (
    <figure className={`detail-image ${kind}`}>
      <a href={image.url} target="_blank" rel="noreferrer" title={t('detail.openFull')}>
        <div className="image-frame">
          <img
            src={image.url}
            alt={`${t(`kind.${kind}` as MessageKey)}: ${event.identity_name}`}
            onLoad={(e) => setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
          />
          {fits && (
            <span
              className="face-box"
              aria-label={t('detail.faceBox')}
              style={{
                left: `${(rect.left / size.width) * 100}%`,
                top: `${(rect.top / size.height) * 100}%`,
                width: `${((rect.right - rect.left) / size.width) * 100}%`,
                height: `${((rect.bottom - rect.top) / size.height) * 100}%`,
              }}
            />
          )}
        </div>
      </a>
      <figcaption>
        {t(`kind.${kind}` as MessageKey)} · {Math.round(image.byte_size / 1024)} KB
      </figcaption>
    </figure>
  );
}

/** A value the box sent, as text: its fields are open JSON, so an object shows as JSON, not `[object Object]`. */
function shown(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

const CHECKS = ['face_size', 'clarity', 'headpose', 'partial', 'brightness'] as const;

function Quality({ box, grab }: { box: Record<string, unknown>; grab: Record<string, unknown> }) {
  const { t } = useI18n();
  const info = (box.info ?? {}) as Record<string, unknown>;
  const success = (Array.isArray(box.success) ? box.success : []) as string[];
  const fails = (Array.isArray(box.fails) ? box.fails : []) as string[];
  const verdict = typeof box.fiqa_result === 'boolean' ? box.fiqa_result : null;
  const value = (check: string): string => {
    const raw = info[check];
    if (check === 'headpose' && raw && typeof raw === 'object') {
      const pose = raw as Record<string, number>;
      return `roll ${pose.roll_angle?.toFixed?.(1)}° · pitch ${pose.pitch_angle?.toFixed?.(1)}° · yaw ${pose.yaw_angle?.toFixed?.(1)}°`;
    }
    if (typeof raw === 'number') return Number.isInteger(raw) ? String(raw) : raw.toFixed(2);
    if (typeof raw === 'boolean') return raw ? t('common.yes') : t('common.no');
    return '';
  };
  const grabItems: [string, unknown][] = [
    [t('q.confidence'), grab.confidence],
    [t('q.eyeDist'), grab.eye_dist],
    [t('q.age'), grab.age ?? box.age],
    [t('q.sex'), grab.sex ?? box.sex],
  ];
  return (
    <div className="quality">
      <p>
        {t('detail.boxVerdict')}:{' '}
        {verdict === null ? (
          <StatusBadge tone="neutral">{t('detail.noVerdict')}</StatusBadge>
        ) : verdict ? (
          <StatusBadge tone="ok">{t('detail.pass')}</StatusBadge>
        ) : (
          <StatusBadge tone="bad">{t('detail.fail')}</StatusBadge>
        )}
      </p>
      <ul className="quality-badges">
        {CHECKS.filter((check) => check in info || success.includes(check) || fails.includes(check)).map((check) => {
          const failed = fails.includes(check);
          const passed = success.includes(check);
          return (
            <li key={check} className={`quality-badge ${failed ? 'fail' : passed ? 'pass' : ''}`}>
              <span className="quality-name">
                {failed ? '✗' : passed ? '✓' : '·'} {t(`q.${check}` as MessageKey)}
              </span>
              <span className="quality-value">{value(check)}</span>
              <span className="visually-hidden">{failed ? t('detail.fail') : passed ? t('detail.pass') : ''}</span>
            </li>
          );
        })}
      </ul>
      {grabItems.some(([, item]) => item !== undefined) && (
        <p className="muted">
          {t('detail.camera')}:{' '}
          {grabItems
            .filter(([, item]) => item !== undefined)
            .map(([name, item]) => `${name} ${name === t('q.sex') ? t(`q.sex.${shown(item)}` as MessageKey) : shown(item)}`)
            .join(' · ')}
        </p>
      )}
    </div>
  );
}

export function HookRow({ hook, onRetried }: { hook: Hook; onRetried?: () => void }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api<Hook>(`/api/hooks/${hook.id}/retry`, { method: 'POST' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['hooks'] });
      onRetried?.();
    },
  });
  const tone = hook.status === 'dead' ? 'bad' : hook.status === 'pending' ? 'warn' : 'ok';
  return (
    <li className="hook card">
      <div className="hook-head">
        <strong>{hook.type}</strong>
        <code className="muted small-code">{hook.id}</code>
        <StatusBadge tone={tone}>{t(`hook.status.${hook.status}` as MessageKey)}</StatusBadge>
        <span className="muted">{dateTime(hook.created_at)}</span>
        {hook.status === 'dead' && (
          <button type="button" className="primary small" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {t('hook.retry')}
          </button>
        )}
      </div>
      {retry.isSuccess && <p role="status">{t('hook.retried')}</p>}
      {retry.error && <ErrorBox error={retry.error} />}
      <ul className="deliveries">
        {hook.deliveries.map((delivery) => (
          <li key={delivery.subscriber}>
            <code>{delivery.subscriber}</code>{' '}
            <StatusBadge tone={delivery.status === 'dead' ? 'bad' : delivery.status === 'pending' ? 'warn' : 'ok'}>
              {t(`hook.status.${delivery.status}` as MessageKey)}
            </StatusBadge>{' '}
            <span className="muted">
              {t('hook.attempts', { count: delivery.attempts })}
              {delivery.next_attempt_at && ` · ${t('hook.nextAttempt', { time: dateTime(delivery.next_attempt_at) })}`}
            </span>
            {delivery.last_error && (
              <div className="muted">
                {t('hook.lastError')}: {delivery.last_error}
              </div>
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}

function EventHooks({ id }: { id: string }) {
  const { t } = useI18n();
  const hooks = useQuery({
    queryKey: ['hooks', 'event', id],
    queryFn: ({ signal }) => api<Page<Hook>>(withQuery('/api/hooks', { event_id: id }), { signal }),
  });
  return (
    <section aria-labelledby="detail-hooks">
      <h3 id="detail-hooks">{t('detail.hooks')}</h3>
      {hooks.error ? (
        <ErrorBox error={hooks.error} />
      ) : !hooks.data ? (
        <Spinner />
      ) : hooks.data.items.length === 0 ? (
        <p className="muted">{t('detail.noHooks')}</p>
      ) : (
        <ul className="plain">
          {hooks.data.items.map((hook) => (
            <HookRow key={hook.id} hook={hook} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Later copies of this event with other content (conflicts): said first, since they put the event in doubt. */
function EventConflicts({ id }: { id: string }) {
  const { t } = useI18n();
  const conflicts = useQuery({
    queryKey: ['conflicts', 'event', id],
    queryFn: ({ signal }) => api<Page<Conflict>>(withQuery('/api/conflicts', { event_id: id, limit: 20 }), { signal }),
  });
  if (!conflicts.data || conflicts.data.items.length === 0) return null;
  const { items, next_cursor } = conflicts.data;
  const fields = [...new Set(items.flatMap((item) => item.fields))];
  return (
    <section aria-labelledby="detail-conflicts" className="notice detail-conflicts">
      <h3 id="detail-conflicts">
        <StatusBadge tone="warn">{t('detail.conflicts')}</StatusBadge>
      </h3>
      <p>{t('detail.conflictsText', { count: next_cursor ? `${items.length}+` : items.length, fields: fields.join(', ') })}</p>
      <Link to={`/problems?tab=conflicts&event_id=${id}`}>{t('detail.conflictsLink')} →</Link>
    </section>
  );
}

function GalleryOutcomes({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const changes = useQuery({
    queryKey: ['gallery-changes', id],
    queryFn: ({ signal }) => api<Page<GalleryChange>>(withQuery('/api/gallery/changes', { event_id: id }), { signal }),
  });
  if (!changes.data || changes.data.items.length === 0) return null;
  return (
    <section aria-labelledby="detail-gallery">
      <h3 id="detail-gallery">{t('detail.gallery')}</h3>
      <ul className="plain">
        {changes.data.items.map((change) => (
          <li key={change.hook_id}>
            <StatusBadge tone={change.outcome === 'rejected' ? 'bad' : 'ok'}>{t(`outcome.${change.outcome}` as MessageKey)}</StatusBadge>{' '}
            {change.reason && <span title={change.reason}>{reasonText(change.reason, t)} </span>}
            <span className="muted">{dateTime(change.created_at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Long base64 strings shortened for reading; the download keeps them whole. */
function abbreviated(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 48)}… (${Math.round(value.length / 1024)} KB)`;
  if (Array.isArray(value)) return value.map(abbreviated);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, abbreviated(item)]));
  return value;
}

function Original({ id }: { id: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  const original = useQuery({
    queryKey: ['original', id],
    queryFn: ({ signal }) => api<unknown>(`/api/events/${id}/original`, { signal }),
    enabled: shown,
  });
  return (
    <section aria-labelledby="detail-original">
      <h3 id="detail-original">{t('detail.original')}</h3>
      {!shown ? (
        <button type="button" onClick={() => setShown(true)}>
          {t('detail.showOriginal')}
        </button>
      ) : original.error ? (
        <ErrorBox error={original.error} />
      ) : !original.data ? (
        <Spinner />
      ) : (
        <>
          <a
            className="button small"
            download={`event-${id}.json`}
            href={URL.createObjectURL(new Blob([JSON.stringify(original.data, null, 2)], { type: 'application/json' }))}
          >
            {t('common.download')}
          </a>
          <pre className="json">{JSON.stringify(abbreviated(original.data), null, 2)}</pre>
        </>
      )}
    </section>
  );
}
