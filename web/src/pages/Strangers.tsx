import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, Identity, Page, Registration, RegistrationOutcome, withQuery } from '../api';
import { FaceThumb, QueryState, StatusBadge, Tabs, Thumb } from '../components/ui';
import { reasonText } from '../reasons';
import { MessageKey, useI18n } from '../i18n';

const OUTCOMES: RegistrationOutcome[] = ['registered', 'already_registered', 'rejected', 'pending'];

export default function Strangers() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'gallery' ? 'gallery' : 'registrations';
  return (
    <div className="page">
      <h1>{t('strangers.title')}</h1>
      <Tabs
        value={tab}
        label={t('strangers.title')}
        options={[
          ['registrations', t('strangers.registrations')],
          ['gallery', t('strangers.gallery')],
        ]}
        onChange={(next) => setParams(next === 'gallery' ? { tab: next } : {})}
      />
      {tab === 'registrations' ? <Registrations /> : <Gallery />}
    </div>
  );
}

function Registrations() {
  const { t, dateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const outcome = (OUTCOMES as string[]).includes(params.get('outcome') ?? '') ? (params.get('outcome') as RegistrationOutcome) : undefined;
  const registrations = useInfiniteQuery({
    queryKey: ['registrations', outcome],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Registration>>(withQuery('/api/gallery/registrations', { outcome, limit: 48, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 30_000,
  });
  const items = registrations.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <label className="inline">
        {t('strangers.outcome')}{' '}
        <select value={outcome ?? ''} onChange={(event) => setParams(event.target.value ? { outcome: event.target.value } : {})}>
          <option value="">{t('common.all')}</option>
          {OUTCOMES.map((option) => (
            <option key={option} value={option}>
              {t(`outcome.${option}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <QueryState query={registrations}>
        {() =>
          items.length === 0 ? (
            <p className="empty">{t('strangers.noRegistrations')}</p>
          ) : (
            <>
              <ul className="card-grid">
                {items.map((registration) => (
                  <li key={registration.event.id} className="card registration">
                    <Link
                      to={`/events?event=${registration.event.id}`}
                      aria-label={`${registration.event.identity_name} ${dateTime(registration.event.event_time)}`}
                    >
                      <FaceThumb item={registration.event} size={192} />
                    </Link>
                    <div>
                      <StatusBadge tone={registration.outcome === 'rejected' ? 'bad' : registration.outcome === 'pending' ? 'warn' : 'ok'}>
                        {t(`outcome.${registration.outcome}` as MessageKey)}
                      </StatusBadge>
                      {registration.reason && (
                        <p className="reason" title={registration.reason}>
                          {reasonText(registration.reason, t)}
                        </p>
                      )}
                      <p className="muted">{dateTime(registration.event.event_time)}</p>
                      <p className="muted">{registration.event.ext_data.device_ip}</p>
                      <Link
                        to={`/people/${encodeURIComponent(registration.event.identity_id)}?group=${encodeURIComponent(registration.event.group_name)}`}
                      >
                        {registration.event.identity_id}
                      </Link>
                    </div>
                  </li>
                ))}
              </ul>
              {registrations.hasNextPage && (
                <button type="button" onClick={() => void registrations.fetchNextPage()} disabled={registrations.isFetchingNextPage}>
                  {t('common.more')}
                </button>
              )}
            </>
          )
        }
      </QueryState>
    </>
  );
}

function Gallery() {
  const { t, dateTime } = useI18n();
  const identities = useInfiniteQuery({
    queryKey: ['identities'],
    queryFn: ({ pageParam, signal }) => api<Page<Identity>>(withQuery('/api/identities', { limit: 60, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = identities.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <QueryState query={identities}>
      {() =>
        items.length === 0 ? (
          <p className="empty">{t('strangers.noIdentities')}</p>
        ) : (
          <>
            <ul className="card-grid identities">
              {items.map((identity) => (
                <li key={identity.id} className="card identity">
                  <Link to={`/people/${encodeURIComponent(identity.identity_id)}?group=${encodeURIComponent(identity.group_name)}`}>
                    <Thumb url={identity.face_thumbnail_url} size={192} alt={identity.name} />
                    <strong>{identity.name}</strong>
                  </Link>
                  <span className="muted">
                    {t('strangers.group')}: {identity.group_name}
                  </span>
                  <span className="muted">{t('strangers.updated', { time: dateTime(identity.updated_at) })}</span>
                </li>
              ))}
            </ul>
            {identities.hasNextPage && (
              <button type="button" onClick={() => void identities.fetchNextPage()} disabled={identities.isFetchingNextPage}>
                {t('common.more')}
              </button>
            )}
          </>
        )
      }
    </QueryState>
  );
}
