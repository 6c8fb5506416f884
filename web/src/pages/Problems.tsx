import { InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, Hook, Page, QuarantinedEvent, QuarantinedEventDetail, withQuery } from '../api';
import { ErrorBox, QueryState, Spinner, StatusBadge, Tabs } from '../components/ui';
import { MessageKey, useI18n } from '../i18n';
import { HookRow } from './EventDrawer';
import Conflicts from './problems/Conflicts';

type Tab = 'quarantine' | 'hooks' | 'conflicts';

export default function Problems() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (['hooks', 'conflicts'] as string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'quarantine';
  return (
    <div className="page">
      <h1>{t('problems.title')}</h1>
      <Tabs
        value={tab}
        label={t('problems.title')}
        options={[
          ['quarantine', t('problems.quarantine')],
          ['hooks', t('problems.hooks')],
          ['conflicts', t('problems.conflicts')],
        ]}
        onChange={(next) => setParams({ tab: next })}
      />
      {tab === 'quarantine' ? <Quarantine /> : tab === 'hooks' ? <Hooks /> : <Conflicts />}
    </div>
  );
}

function Quarantine() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const replayed = params.get('replayed') === 'true' ? true : params.get('replayed') === 'all' ? undefined : false;
  const list = useInfiniteQuery({
    queryKey: ['quarantine', replayed],
    queryFn: ({ pageParam, signal }) =>
      api<Page<QuarantinedEvent>>(withQuery('/api/quarantine', { replayed, limit: 50, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <label className="inline">
        {t('problems.replayedFilter')}{' '}
        <select
          value={replayed === undefined ? 'all' : String(replayed)}
          onChange={(event) =>
            setParams({ tab: 'quarantine', ...(event.target.value === 'false' ? {} : { replayed: event.target.value }) })
          }
        >
          <option value="false">{t('problems.waiting')}</option>
          <option value="true">{t('problems.replayedFilter')}</option>
          <option value="all">{t('common.all')}</option>
        </select>
      </label>
      <QueryState query={list}>
        {() =>
          items.length === 0 ? (
            <p className="empty">{t('problems.noQuarantine')}</p>
          ) : (
            <>
              <ul className="plain">
                {items.map((item) => (
                  <QuarantineItem key={item.id} item={item} />
                ))}
              </ul>
              {list.hasNextPage && (
                <button type="button" onClick={() => void list.fetchNextPage()}>
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

function QuarantineItem({ item }: { item: QuarantinedEvent }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const detail = useQuery({
    queryKey: ['quarantine-detail', item.id],
    queryFn: ({ signal }) => api<QuarantinedEventDetail>(`/api/quarantine/${item.id}`, { signal }),
    enabled: open,
  });
  const replay = useMutation({
    mutationFn: () =>
      api<{ event_id: string; result: string; replayed_at: string }>(`/api/quarantine/${item.id}/replay`, { method: 'POST' }),
    // The item stays where it is, marked, so that the operator sees the outcome; the counts are read again.
    onSuccess: (result) => {
      queryClient.setQueriesData<InfiniteData<Page<QuarantinedEvent>>>({ queryKey: ['quarantine', false] }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((entry) =>
                  entry.id === item.id ? { ...entry, replayed_event_id: result.event_id, replayed_at: result.replayed_at } : entry,
                ),
              })),
            }
          : data,
      );
      void queryClient.invalidateQueries({ queryKey: ['quarantine', 'waiting-count'] });
    },
  });
  const replayedId = replay.data?.event_id ?? item.replayed_event_id;
  return (
    <li className="card quarantine-item">
      <div className="hook-head">
        <strong>#{item.id}</strong>
        <span className="muted">
          {t('problems.received', { time: dateTime(item.received_at) })} · {t('problems.format', { format: item.format })}
          {item.dev_sno ? ` · ${t('problems.box', { box: item.dev_sno })}` : ''}
          {item.received_from ? ` · ${item.received_from}` : ''}
        </span>
        {replayedId ? (
          <StatusBadge tone="ok">
            <Link to={`/events?event=${replayedId}`}>{t('problems.replayed', { id: replayedId })}</Link>
          </StatusBadge>
        ) : (
          <button type="button" className="primary small" onClick={() => replay.mutate()} disabled={replay.isPending}>
            {t('problems.replay')}
          </button>
        )}
      </div>
      <h3 className="small-heading">{t('problems.errors')}</h3>
      <ul className="errors">
        {item.errors.map((error, index) => (
          <li key={index}>
            <code>{error.field || '(body)'}</code>: {error.message}
          </li>
        ))}
      </ul>
      {replay.error instanceof ApiError && replay.error.status === 422 ? (
        <div className="error" role="alert">
          {t('problems.stillInvalid')}
          <ul>
            {replay.error.errors.map((error, index) => (
              <li key={index}>
                <code>{error.field}</code>: {error.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        replay.error && <ErrorBox error={replay.error} />
      )}
      <details onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
        <summary>{t('problems.payload')}</summary>
        {detail.isPending && open ? (
          <Spinner />
        ) : detail.data ? (
          <pre className="json">{JSON.stringify(abbreviate(detail.data.event), null, 2)}</pre>
        ) : null}
      </details>
    </li>
  );
}

function abbreviate(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 48)}… (${Math.round(value.length / 1024)} KB)`;
  if (Array.isArray(value)) return value.map(abbreviate);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, abbreviate(item)]));
  return value;
}

function Hooks() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = (['pending', 'dead', 'delivered'] as string[]).includes(params.get('status') ?? '') ? params.get('status')! : 'dead';
  const list = useInfiniteQuery({
    queryKey: ['hooks', 'list', status],
    queryFn: ({ pageParam, signal }) => api<Page<Hook>>(withQuery('/api/hooks', { status, limit: 50, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 15_000,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <Tabs
        value={status}
        label={t('problems.hooks')}
        options={(['dead', 'pending', 'delivered'] as const).map((option) => [option, t(`hook.status.${option}` as MessageKey)])}
        onChange={(next) => setParams({ tab: 'hooks', status: next })}
      />
      <QueryState query={list}>
        {() =>
          items.length === 0 ? (
            <p className="empty">{t('problems.noHooks')}</p>
          ) : (
            <>
              <ul className="plain">
                {items.map((hook) => (
                  <li key={hook.id}>
                    <ul className="plain">
                      <HookRow hook={hook} />
                    </ul>
                    <Link to={`/events?event=${hook.event_id}`} className="small">
                      #{hook.event_id} · {hook.payload.identity?.name} · {hook.payload.device?.ep_id}
                    </Link>
                  </li>
                ))}
              </ul>
              {list.hasNextPage && (
                <button type="button" onClick={() => void list.fetchNextPage()}>
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
