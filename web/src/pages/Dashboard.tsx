import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, Conflict, EventItem, GallerySummary, Hook, Page, PERSON_TYPES, QuarantinedEvent, Summary, withQuery } from '../api';
import { FaceThumb, QueryState, Spinner } from '../components/ui';
import { MessageKey, startOfToday, useI18n } from '../i18n';
import { useLive } from '../live';

const Chart = lazy(() => import('../components/Chart'));

const HOUR_MS = 3_600_000;

/** Today in the operator's zone, from midnight to the next hour (summaries count whole hours). */
function useToday() {
  const { timeZone } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const from = startOfToday(timeZone, now);
  const to = new Date(Math.ceil((now + 1) / HOUR_MS) * HOUR_MS);
  return { from: from.toISOString(), to: to.toISOString(), timeZone };
}

export default function Dashboard() {
  const { t } = useI18n();
  const today = useToday();
  const byType = useQuery({
    queryKey: ['summary', 'hour', 'person_type', today],
    queryFn: ({ signal }) =>
      api<Summary>(
        withQuery('/api/events/summary', { from: today.from, to: today.to, bucket: 'hour', tz: today.timeZone, group_by: 'person_type' }),
        { signal },
      ),
    refetchInterval: 30_000,
  });
  const byBox = useQuery({
    queryKey: ['summary', 'day', 'dev_sno', today],
    queryFn: ({ signal }) =>
      api<Summary>(
        withQuery('/api/events/summary', { from: today.from, to: today.to, bucket: 'day', tz: today.timeZone, group_by: 'dev_sno' }),
        { signal },
      ),
    refetchInterval: 60_000,
  });
  const gallery = useQuery({
    queryKey: ['gallery-summary', today],
    queryFn: ({ signal }) => api<GallerySummary>(withQuery('/api/gallery/summary', { from: today.from, to: today.to }), { signal }),
    refetchInterval: 30_000,
  });

  const totals = useMemo(() => {
    const counts: Record<string, number> = {};
    let total = 0;
    for (const bucket of byType.data?.buckets ?? []) {
      total += bucket.total;
      for (const [type, count] of Object.entries(bucket.counts ?? {})) counts[type] = (counts[type] ?? 0) + count;
    }
    return { counts, total };
  }, [byType.data]);

  return (
    <div className="page dashboard">
      <h1>{t('dash.title')}</h1>
      <section aria-labelledby="dash-types" className="card">
        <h2 id="dash-types">{t('dash.byPersonType')}</h2>
        <QueryState query={byType}>
          {() => (
            <ul className="stat-tiles">
              <li className="stat">
                <Link to="/events">
                  <span className="stat-value">{totals.total.toLocaleString()}</span>
                  <span className="stat-label">{t('dash.total')}</span>
                </Link>
              </li>
              {PERSON_TYPES.map((type) => (
                <li key={type} className={`stat pt-${type}`}>
                  <Link to={`/events?person_type=${type}&from=${encodeURIComponent(today.from)}`}>
                    <span className="stat-value">{(totals.counts[type] ?? 0).toLocaleString()}</span>
                    <span className="stat-label">{t(`pt.${type}` as MessageKey)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </section>
      <div className="columns">
        <section aria-labelledby="dash-hours" className="card wide">
          <h2 id="dash-hours">{t('dash.perHour')}</h2>
          <QueryState query={byType}>{() => <HourChart summary={byType.data!} from={today.from} />}</QueryState>
        </section>
        <section aria-labelledby="dash-registrations" className="card">
          <h2 id="dash-registrations">{t('dash.registrations')}</h2>
          <QueryState query={gallery}>
            {() => {
              const outcomes = gallery.data!.outcomes;
              const rows: [string, number, string][] = [
                [t('dash.registered'), outcomes.registered, 'ok'],
                [t('dash.alreadyRegistered'), outcomes.already_registered, 'neutral'],
                [t('dash.refused'), outcomes.rejected, 'bad'],
              ];
              return <Bars rows={rows.map(([label, value, tone]) => ({ label, value, tone, to: '/strangers' }))} />;
            }}
          </QueryState>
        </section>
      </div>
      <div className="columns">
        <section aria-labelledby="dash-boxes" className="card">
          <h2 id="dash-boxes">{t('dash.busiest')}</h2>
          <QueryState query={byBox}>
            {() => {
              const counts = byBox.data!.buckets.reduce<Record<string, number>>((all, bucket) => {
                for (const [box, count] of Object.entries(bucket.counts ?? {})) all[box] = (all[box] ?? 0) + count;
                return all;
              }, {});
              const top = Object.entries(counts)
                .sort((a, b) => b[1] - a[1])
                .slice(0, 6);
              if (top.length === 0) return <p className="muted">{t('dash.noEvents')}</p>;
              return (
                <Bars
                  rows={top.map(([box, value]) => ({
                    label: box || '—',
                    value,
                    tone: 'neutral',
                    to: `/events?dev_sno=${encodeURIComponent(box)}`,
                  }))}
                />
              );
            }}
          </QueryState>
        </section>
        <Problems />
      </div>
      <LatestFaces />
    </div>
  );
}

function HourChart({ summary, from }: { summary: Summary; from: string }) {
  const { t, time } = useI18n();
  const data = useMemo(() => {
    const start = Date.parse(from);
    const hours = Array.from({ length: 24 }, (_, index) => start / 1000 + index * 3600);
    const totals = new Map(summary.buckets.map((bucket) => [Math.round(Date.parse(bucket.start) / 1000), bucket]));
    return {
      times: hours,
      series: [
        { label: t('dash.total'), values: hours.map((hour) => totals.get(hour)?.total ?? 0), color: '#4f7df3', bars: true },
        { label: t('dash.strangersLine'), values: hours.map((hour) => totals.get(hour)?.counts?.['4'] ?? 0), color: '#e0663a' },
      ],
    };
  }, [summary, from, t]);
  const formatTime = useCallback((seconds: number) => time(seconds * 1000).slice(0, 5), [time]);
  return (
    <Suspense fallback={<Spinner />}>
      <Chart times={data.times} series={data.series} formatTime={formatTime} label={t('dash.perHour')} timeLabel={t('events.time')} />
    </Suspense>
  );
}

function Bars({ rows }: { rows: { label: string; value: number; tone: string; to: string }[] }) {
  const max = Math.max(1, ...rows.map((row) => row.value));
  return (
    <ul className="bars">
      {rows.map((row) => (
        <li key={row.label}>
          <Link to={row.to} className="bar-label">
            {row.label}
          </Link>
          <span className="bar-track" aria-hidden="true">
            <span className={`bar tone-${row.tone}`} style={{ width: `${(row.value / max) * 100}%` }} />
          </span>
          <span className="bar-value">{row.value.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}

function Problems() {
  const { t } = useI18n();
  const quarantine = useQuery({
    queryKey: ['quarantine', 'waiting-count'],
    queryFn: ({ signal }) => api<Page<QuarantinedEvent>>(withQuery('/api/quarantine', { replayed: false, limit: 100 }), { signal }),
    refetchInterval: 60_000,
  });
  const dead = useQuery({
    queryKey: ['hooks', 'dead-count'],
    queryFn: ({ signal }) => api<Page<Hook>>(withQuery('/api/hooks', { status: 'dead', limit: 100 }), { signal }),
    refetchInterval: 60_000,
  });
  const pending = useQuery({
    queryKey: ['hooks', 'pending-count'],
    queryFn: ({ signal }) => api<Page<Hook>>(withQuery('/api/hooks', { status: 'pending', limit: 100 }), { signal }),
    refetchInterval: 60_000,
  });
  const conflicts = useQuery({
    queryKey: ['conflicts', 'count'],
    queryFn: ({ signal }) => api<Page<Conflict>>(withQuery('/api/conflicts', { limit: 100 }), { signal }),
    refetchInterval: 60_000,
  });
  const count = (page?: Page<unknown>) => (page ? `${page.items.length}${page.next_cursor ? '+' : ''}` : '…');
  return (
    <section aria-labelledby="dash-problems" className="card">
      <h2 id="dash-problems">{t('dash.problems')}</h2>
      <ul className="stat-tiles small">
        <li className={`stat ${quarantine.data?.items.length ? 'tone-warn' : ''}`}>
          <Link to="/problems?tab=quarantine">
            <span className="stat-value">{count(quarantine.data)}</span>
            <span className="stat-label">{t('dash.quarantineWaiting')}</span>
          </Link>
        </li>
        <li className={`stat ${dead.data?.items.length ? 'tone-bad' : ''}`}>
          <Link to="/problems?tab=hooks&status=dead">
            <span className="stat-value">{count(dead.data)}</span>
            <span className="stat-label">{t('dash.deadHooks')}</span>
          </Link>
        </li>
        <li className={`stat ${conflicts.data?.items.length ? 'tone-warn' : ''}`}>
          <Link to="/problems?tab=conflicts">
            <span className="stat-value">{count(conflicts.data)}</span>
            <span className="stat-label">{t('dash.conflicts')}</span>
          </Link>
        </li>
        <li className="stat">
          <Link to="/problems?tab=hooks&status=pending">
            <span className="stat-value">{count(pending.data)}</span>
            <span className="stat-label">{t('dash.pendingHooks')}</span>
          </Link>
        </li>
      </ul>
    </section>
  );
}

/** The newest faces, kept current by the live feed. */
function LatestFaces() {
  const { t, time } = useI18n();
  const { onEvents, paused } = useLive();
  const latest = useQuery({
    queryKey: ['events', 'latest'],
    queryFn: ({ signal }) => api<Page<EventItem>>(withQuery('/api/events', { limit: 12 }), { signal }),
  });
  const [live, setLive] = useState<EventItem[]>([]);
  useEffect(
    () =>
      onEvents((items) => {
        if (!paused) setLive((current) => [...items, ...current].slice(0, 12));
      }),
    [onEvents, paused],
  );
  const items = useMemo(() => {
    const seen = new Set(live.map((item) => item.id));
    return [...live, ...(latest.data?.items ?? []).filter((item) => !seen.has(item.id))].slice(0, 12);
  }, [live, latest.data]);
  return (
    <section aria-labelledby="dash-latest" className="card">
      <h2 id="dash-latest">{t('dash.latest')}</h2>
      <QueryState query={latest}>
        {() => (
          <ul className="face-strip">
            {items.map((item) => (
              <li key={item.id}>
                <Link to={`/events?event=${item.id}`}>
                  <FaceThumb item={item} size={192} />
                  <span className="face-name">{item.identity_name}</span>
                  <span className="muted">{time(item.event_time)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}
