import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, EventItem, Identity, IdentityDetail, Page, Summary, withQuery } from '../api';
import { FaceThumb, PersonTypeBadge, QueryState, Spinner, StatusBadge, Thumb } from '../components/ui';
import { reasonText } from '../reasons';
import { MessageKey, startOfToday, useI18n } from '../i18n';

const Chart = lazy(() => import('../components/Chart'));
const DAY_MS = 86_400_000;

/** One person (the box's identity_id, in a group): gallery faces and history, activity, events. */
export default function Person() {
  const { t, timeZone } = useI18n();
  const identityId = useParams().identityId!;
  const group = useSearchParams()[0].get('group') ?? undefined;
  const found = useQuery({
    queryKey: ['identity-of', identityId, group],
    queryFn: ({ signal }) =>
      api<Page<Identity>>(withQuery('/api/identities', { identity_id: identityId, group_name: group, limit: 1 }), { signal }),
  });
  const galleryId = found.data?.items[0]?.id;
  const identity = useQuery({
    queryKey: ['identity', galleryId],
    queryFn: ({ signal }) => api<IdentityDetail>(`/api/identities/${galleryId}`, { signal }),
    enabled: galleryId !== undefined,
  });
  const events = useQuery({
    queryKey: ['events', 'person', identityId, group],
    queryFn: ({ signal }) =>
      api<Page<EventItem>>(withQuery('/api/events', { identity_id: identityId, group_name: group, limit: 24 }), { signal }),
  });
  const range = useMemo(() => {
    const to = new Date(startOfToday(timeZone).getTime() + DAY_MS);
    return { from: new Date(to.getTime() - 90 * DAY_MS).toISOString(), to: to.toISOString() };
  }, [timeZone]);
  const activity = useQuery({
    queryKey: ['summary', 'person', identityId, range, timeZone],
    queryFn: ({ signal }) =>
      api<Summary>(withQuery('/api/events/summary', { ...range, bucket: 'day', tz: timeZone, identity_id: identityId }), { signal }),
  });
  const name = identity.data?.name ?? events.data?.items[0]?.identity_name ?? identityId;
  const eventsLink = `/events?identity_id=${encodeURIComponent(identityId)}${group ? `&group_name=${encodeURIComponent(group)}` : ''}`;

  return (
    <div className="page person">
      <h1>
        {t('person.title')}: {name}
      </h1>
      <p className="muted">
        {identityId}
        {group ? ` · ${group}` : ''}
      </p>
      <div className="columns">
        <section className="card" aria-labelledby="person-faces">
          <h2 id="person-faces">{t('person.faces')}</h2>
          {found.isPending ? (
            <Spinner />
          ) : !galleryId ? (
            <p className="muted">{t('person.notInGallery')}</p>
          ) : (
            <QueryState query={identity}>{() => <Faces identity={identity.data!} />}</QueryState>
          )}
        </section>
        <section className="card wide" aria-labelledby="person-activity">
          <h2 id="person-activity">{t('person.activity')}</h2>
          <QueryState query={activity}>{() => <Activity summary={activity.data!} from={range.from} />}</QueryState>
        </section>
      </div>
      {identity.data && identity.data.history.length > 0 && (
        <section className="card" aria-labelledby="person-history">
          <h2 id="person-history">{t('person.history')}</h2>
          <History identity={identity.data} />
        </section>
      )}
      <section className="card" aria-labelledby="person-events">
        <h2 id="person-events">{t('person.events')}</h2>
        <QueryState query={events}>
          {() => (
            <ul className="face-strip">
              {events.data!.items.map((item) => (
                <li key={item.id}>
                  <Link to={`${eventsLink}&event=${item.id}`}>
                    <FaceThumb item={item} size={192} />
                    <PersonTypeBadge type={item.ext_data.person_type} />
                    <EventTime item={item} />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
        <Link to={eventsLink}>{t('person.allEvents')} →</Link>
      </section>
    </div>
  );
}

function EventTime({ item }: { item: EventItem }) {
  const { dateTime } = useI18n();
  return <span className="muted">{dateTime(item.event_time)}</span>;
}

function Faces({ identity }: { identity: IdentityDetail }) {
  const { t, dateTime } = useI18n();
  return (
    <ul className="face-history">
      {[...identity.faces].reverse().map((face) => (
        <li key={face.id} className={face.replaced_at ? 'replaced' : 'current'}>
          <Thumb url={face.thumbnail_url} size={face.replaced_at ? 192 : 384} alt={`${identity.name} ${dateTime(face.created_at)}`} />
          <span>{face.replaced_at ? t('person.replaced', { time: dateTime(face.replaced_at) }) : t('person.current')}</span>
          <span className="muted">{dateTime(face.created_at)}</span>
          {face.event_id && <Link to={`/events?event=${face.event_id}`}>#{face.event_id}</Link>}
        </li>
      ))}
    </ul>
  );
}

function History({ identity }: { identity: IdentityDetail }) {
  const { t, dateTime } = useI18n();
  return (
    <ul className="plain">
      {[...identity.history].reverse().map((change) => (
        <li key={change.hook_id}>
          <StatusBadge tone={change.outcome === 'rejected' ? 'bad' : 'ok'}>{t(`outcome.${change.outcome}` as MessageKey)}</StatusBadge>{' '}
          {change.hook_type} <span className="muted">{dateTime(change.created_at)}</span>{' '}
          {change.reason && <span title={change.reason}>{reasonText(change.reason, t)}</span>}
          {change.event_id && (
            <>
              {' '}
              <Link to={`/events?event=${change.event_id}`}>#{change.event_id}</Link>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Activity({ summary, from }: { summary: Summary; from: string }) {
  const { t, date } = useI18n();
  const data = useMemo(() => {
    const byDay = new Map(summary.buckets.map((bucket) => [bucket.start.slice(0, 10), bucket.total]));
    const start = Date.parse(from);
    const days = Array.from({ length: 90 }, (_, index) => start + index * DAY_MS + DAY_MS / 2);
    return {
      times: days.map((day) => day / 1000),
      series: [
        {
          label: t('devices.events'),
          color: '#4f7df3',
          bars: true,
          values: days.map((day) => byDay.get(new Date(day).toISOString().slice(0, 10)) ?? 0),
        },
      ],
    };
  }, [summary, from, t]);
  const formatTime = useCallback((seconds: number) => date(seconds * 1000), [date]);
  return (
    <Suspense fallback={<Spinner />}>
      <Chart times={data.times} series={data.series} formatTime={formatTime} label={t('person.activity')} height={180} />
    </Suspense>
  );
}
