import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, Box, Summary, withQuery } from '../api';
import { QueryState, StatusBadge } from '../components/ui';
import { MessageKey, startOfToday, useI18n } from '../i18n';

const Chart = lazy(() => import('../components/Chart'));
const DAY_MS = 86_400_000;
const DAYS = 14;

/**
 * How long a device has been quiet, from its last event: until the boxes send heartbeats, the
 * only sign of life. Minutes of quiet are normal at night; days are not.
 */
function Quiet({ last, now }: { last: string; now: number }) {
  const { t } = useI18n();
  const minutes = Math.max(0, Math.floor((now - Date.parse(last)) / 60_000));
  if (minutes < 5) return <StatusBadge tone="ok">{t('devices.active')}</StatusBadge>;
  if (minutes < 60) return <StatusBadge tone="neutral">{t('devices.quietMin', { count: minutes })}</StatusBadge>;
  if (minutes < 24 * 60) return <StatusBadge tone="warn">{t('devices.quietHours', { count: Math.floor(minutes / 60) })}</StatusBadge>;
  return <StatusBadge tone="bad">{t('devices.quietDays', { count: Math.floor(minutes / 1440) })}</StatusBadge>;
}

export default function Devices() {
  const { t, timeZone, dateTime } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const devices = useQuery({
    queryKey: ['devices'],
    queryFn: ({ signal }) => api<{ items: Box[] }>('/api/devices', { signal }),
    refetchInterval: 30_000,
  });
  const range = useMemo(() => {
    const to = new Date(startOfToday(timeZone).getTime() + DAY_MS);
    return { from: new Date(to.getTime() - DAYS * DAY_MS).toISOString(), to: to.toISOString() };
  }, [timeZone]);
  const daily = useQuery({
    queryKey: ['summary', 'devices', range, timeZone],
    queryFn: ({ signal }) =>
      api<Summary>(withQuery('/api/events/summary', { ...range, bucket: 'day', tz: timeZone, group_by: 'ep_id' }), { signal }),
    refetchInterval: 120_000,
  });
  const perEdgePoint = useMemo(() => {
    const counts = new Map<string, Map<string, number>>();
    for (const bucket of daily.data?.buckets ?? []) {
      for (const [epId, count] of Object.entries(bucket.counts ?? {})) {
        if (!counts.has(epId)) counts.set(epId, new Map());
        counts.get(epId)!.set(bucket.start.slice(0, 10), count);
      }
    }
    return counts;
  }, [daily.data]);
  const days = useMemo(() => Array.from({ length: DAYS }, (_, index) => Date.parse(range.from) + index * DAY_MS + DAY_MS / 2), [range]);

  return (
    <div className="page devices">
      <h1>{t('devices.title')}</h1>
      <p className="muted">{t('devices.heartbeatNote')}</p>
      <QueryState query={devices}>
        {() =>
          devices.data!.items.length === 0 ? (
            <p className="empty">{t('devices.none')}</p>
          ) : (
            <ul className="plain boxes">
              {[...devices.data!.items]
                .sort((a, b) => Date.parse(b.last_event_time) - Date.parse(a.last_event_time))
                .map((box) => (
                  <li key={box.dev_sno} className="card box">
                    <div className="box-head">
                      <h2>
                        {t('devices.box')} {box.dev_sno || t('devices.unmanaged')}
                      </h2>
                      <Quiet last={box.last_event_time} now={now} />
                      <span className="muted">{t('devices.edgePoints', { count: box.edge_points.length })}</span>
                    </div>
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">ep_id</th>
                          <th scope="col">{t('devices.ip')}</th>
                          <th scope="col">{t('devices.type')}</th>
                          <th scope="col">{t('devices.lastEvent')}</th>
                          <th scope="col">{t('devices.events')}</th>
                          <th scope="col">{t('devices.perDay')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {box.edge_points.map((edgePoint) => (
                          <tr key={edgePoint.ep_id}>
                            <td data-label="ep_id">
                              <Link to={`/events?ep_id=${encodeURIComponent(edgePoint.ep_id)}`} title={t('devices.showEvents')}>
                                {edgePoint.ep_id}
                              </Link>
                            </td>
                            <td data-label={t('devices.ip')}>{edgePoint.device_ip}</td>
                            <td data-label={t('devices.type')}>
                              {t(`dt.${edgePoint.device_type}` as MessageKey) ?? edgePoint.device_type}
                            </td>
                            <td data-label={t('devices.lastEvent')}>
                              <Quiet last={edgePoint.last_event_time} now={now} />{' '}
                              <span className="muted">{dateTime(edgePoint.last_event_time)}</span>
                            </td>
                            <td data-label={t('devices.events')}>{edgePoint.event_count.toLocaleString()}</td>
                            <td data-label={t('devices.perDay')} className="sparkline-cell">
                              <Sparkline counts={perEdgePoint.get(edgePoint.ep_id)} days={days} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </li>
                ))}
            </ul>
          )
        }
      </QueryState>
    </div>
  );
}

function Sparkline({ counts, days }: { counts?: Map<string, number>; days: number[] }) {
  const { t, date } = useI18n();
  const data = useMemo(
    () => ({
      times: days.map((day) => day / 1000),
      series: [
        {
          label: t('devices.events'),
          color: '#4f7df3',
          bars: true,
          values: days.map((day) => counts?.get(new Date(day).toISOString().slice(0, 10)) ?? 0),
        },
      ],
    }),
    [counts, days, t],
  );
  const formatTime = useCallback((seconds: number) => date(seconds * 1000), [date]);
  const total = data.series[0].values.reduce((sum, value) => sum + (value ?? 0), 0);
  return (
    <Suspense fallback={<span className="muted">…</span>}>
      <Chart
        times={data.times}
        series={data.series}
        height={36}
        compact
        formatTime={formatTime}
        label={`${t('devices.perDay')}: ${total}`}
      />
    </Suspense>
  );
}
