import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, EventItem, faceThumbnails, IMAGE_KINDS, Page, PERSON_TYPES, WANT_ACTIONS, withQuery } from '../api';
import { ErrorBox, FaceThumb, PersonTypeBadge, Spinner, StatusBadge } from '../components/ui';
import { instantToWallTime, MessageKey, startOfToday, useI18n, wallTimeToInstant } from '../i18n';
import { counters, useLive } from '../live';
import EventDrawer from './EventDrawer';
import { EventFilters, filterQuery, hasFilters, matches, readFilters } from './event-filters';

const PAGE_SIZE = 50;
/** New events kept at the top of the list; more than this and the list offers a reload. */
const LIVE_CAP = 500;
const LIVE_FLUSH_MS = 250;
const CARD_WIDTH = 168;
const CARD_HEIGHT = 246;
const ROW_HEIGHT = 72;

type View = 'grid' | 'list';

export default function Events() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const view: View = params.get('view') === 'list' ? 'list' : 'grid';
  const openId = params.get('event');
  const queryKey = useMemo(() => ['events', filterQuery(filters)], [filters]);

  const events = useInfiniteQuery({
    queryKey,
    queryFn: async ({ pageParam, signal }) => {
      const page = await api<Page<EventItem>>(withQuery('/api/events', { ...filterQuery(filters), limit: PAGE_SIZE, cursor: pageParam }), {
        signal,
      });
      return { ...page, thumbnails: await faceThumbnails(page.items, 192, signal) };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  const live = useLiveRows(filters, queryKey);
  const pageItems = useMemo(() => events.data?.pages.flatMap((page) => page.items) ?? [], [events.data]);
  const thumbnails = useMemo(
    () => Object.assign({}, ...(events.data?.pages.map((page) => page.thumbnails) ?? [])) as Record<string, string>,
    [events.data],
  );
  const rows = useMemo(() => {
    const seen = new Set(live.items.map((item) => item.id));
    return [...live.items, ...pageItems.filter((item) => !seen.has(item.id))];
  }, [live.items, pageItems]);

  const setParam = useCallback(
    (changes: Record<string, string | undefined>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (value === undefined || value === '') next.delete(name);
            else next.set(name, value);
          }
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );

  const open = useCallback((id: string | undefined) => setParam({ event: id }), [setParam]);

  return (
    <div className="page events-page">
      <div className="page-head">
        <h1>{t('events.title')}</h1>
        <div className="toolbar">
          <div className="segmented" role="group" aria-label={t('events.view')}>
            {(['grid', 'list'] as View[]).map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={view === option}
                onClick={() => setParam({ view: option === 'grid' ? undefined : option })}
              >
                {t(`events.${option}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
      </div>
      <FilterBar filters={filters} setParam={setParam} />
      <p className="muted keys-hint">{t('events.keys')}</p>
      {live.pending > 0 && (
        <div className="banner" role="status" aria-live="polite">
          {t('live.newEvents', { count: live.pending })}
          <button type="button" className="primary small" onClick={live.showPending}>
            {t('live.show')}
          </button>
        </div>
      )}
      {events.error ? (
        <ErrorBox error={events.error} retry={() => void events.refetch()} />
      ) : events.isPending ? (
        <Spinner />
      ) : rows.length === 0 ? (
        <p className="empty">{t('events.empty')}</p>
      ) : (
        <EventRows
          view={view}
          rows={rows}
          thumbnails={thumbnails}
          liveCount={live.items.length}
          gap={live.gap}
          onReload={live.reload}
          onOpen={open}
          scroller={live.scroller}
          onScroll={live.onScroll}
          hasMore={events.hasNextPage}
          loadMore={() => {
            if (!events.isFetchingNextPage) void events.fetchNextPage();
          }}
          loadingMore={events.isFetchingNextPage}
        />
      )}
      {openId && <EventDrawer id={openId} onClose={() => open(undefined)} />}
    </div>
  );
}

/**
 * New events from the live feed that match the filters. While the operator reads further down,
 * or has paused, they wait behind a banner instead of moving the list.
 */
function useLiveRows(filters: EventFilters, queryKey: unknown[]) {
  const { onEvents, paused } = useLive();
  const [items, setItems] = useState<EventItem[]>([]);
  const [pending, setPending] = useState<EventItem[]>([]);
  const [gap, setGap] = useState(0);
  const buffer = useRef<EventItem[]>([]);
  const scroller = useRef<HTMLDivElement>(null);
  const atTop = useRef(true);
  const pausedRef = useRef(paused);
  useEffect(() => {
    pausedRef.current = paused;
  }, [paused]);

  // New filters start a new list: the state and the buffer (a ref, which a reset during render may not touch) together.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- resets with the buffer above; runs only when the query changes
    setItems([]);
    setPending([]);
    setGap(0);
    buffer.current = [];
  }, [queryKey]);

  useEffect(() => {
    const unsubscribe = onEvents((arrived) => {
      for (const item of arrived) if (matches(item, filters)) buffer.current.push(item);
    });
    const timer = setInterval(() => {
      if (buffer.current.length === 0) return;
      const arrived = buffer.current.reverse();
      buffer.current = [];
      if (pausedRef.current || !atTop.current) {
        setPending((current) => [...arrived, ...current].slice(0, LIVE_CAP * 2));
        return;
      }
      counters.liveShown += arrived.length;
      setItems((current) => {
        const merged = [...arrived, ...current];
        if (merged.length > LIVE_CAP) setGap((count) => count + merged.length - LIVE_CAP);
        return merged.slice(0, LIVE_CAP);
      });
    }, LIVE_FLUSH_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [onEvents, filters]);

  const showPending = useCallback(() => {
    counters.liveShown += pending.length;
    setItems((current) => {
      const merged = [...pending, ...current];
      if (merged.length > LIVE_CAP) setGap((count) => count + merged.length - LIVE_CAP);
      return merged.slice(0, LIVE_CAP);
    });
    setPending([]);
    scroller.current?.scrollTo({ top: 0 });
  }, [pending]);

  useEffect(() => {
    if (!paused && atTop.current && pending.length > 0) showPending();
  }, [paused, pending.length, showPending]);

  return {
    items,
    pending: pending.length,
    gap,
    scroller,
    showPending,
    onScroll: () => {
      atTop.current = (scroller.current?.scrollTop ?? 0) < 40;
    },
    reload: () => window.location.reload(),
  };
}

function FilterBar({ filters, setParam }: { filters: EventFilters; setParam: (changes: Record<string, string | undefined>) => void }) {
  const { t, timeZone } = useI18n();
  const [name, setName] = useState(filters.identity_name ?? '');
  // The box follows the URL (back, a shared link): adjusted while rendering, not in an effect after it.
  const [nameInUrl, setNameInUrl] = useState(filters.identity_name);
  if (nameInUrl !== filters.identity_name) {
    setNameInUrl(filters.identity_name);
    setName(filters.identity_name ?? '');
  }
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) {
        event.preventDefault();
        document.getElementById('filter-name')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const wall = (value?: string) => (value ? instantToWallTime(new Date(value), timeZone) : '');
  const setTime = (field: 'from' | 'to', value: string) =>
    setParam({ [field]: value ? wallTimeToInstant(value, timeZone)?.toISOString() : undefined });
  const range = (ms: number | 'today') => {
    const from = ms === 'today' ? startOfToday(timeZone) : new Date(Date.now() - ms);
    setParam({ from: from.toISOString(), to: undefined });
  };
  const togglePersonType = (type: number) => {
    const next = filters.person_type.includes(type)
      ? filters.person_type.filter((value) => value !== type)
      : [...filters.person_type, type];
    setParam({ person_type: next.sort().join(',') || undefined });
  };

  const active = Object.values(filterQuery(filters)).filter((value) => value !== undefined && value !== '').length;
  return (
    <details className="filters card" open={openByDefault} aria-label={t('events.filters')}>
      <summary>
        {t('events.filters')}
        {active > 0 ? ` (${active})` : ''}
      </summary>
      <div className="filter-body">
        <div className="filter-row">
          <label>
            {t('events.from')}
            <input type="datetime-local" value={wall(filters.from)} onChange={(event) => setTime('from', event.target.value)} />
          </label>
          <label>
            {t('events.to')}
            <input type="datetime-local" value={wall(filters.to)} onChange={(event) => setTime('to', event.target.value)} />
          </label>
          <div className="chips" role="group" aria-label={t('events.from')}>
            <button type="button" className="small" onClick={() => range(3_600_000)}>
              {t('events.range.hour')}
            </button>
            <button type="button" className="small" onClick={() => range('today')}>
              {t('events.range.today')}
            </button>
            <button type="button" className="small" onClick={() => range(86_400_000)}>
              {t('events.range.day')}
            </button>
            <button type="button" className="small" onClick={() => range(7 * 86_400_000)}>
              {t('events.range.week')}
            </button>
          </div>
        </div>
        <div className="filter-row">
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              setParam({ identity_name: name.trim() || undefined });
            }}
          >
            <label>
              {t('events.name')}
              <input
                id="filter-name"
                type="search"
                value={name}
                onChange={(event) => setName(event.target.value)}
                onBlur={() => setParam({ identity_name: name.trim() || undefined })}
              />
            </label>
          </form>
          <TextFilter label={t('events.box')} value={filters.dev_sno} onChange={(value) => setParam({ dev_sno: value })} />
          <TextFilter label={t('events.edgePoint')} value={filters.ep_id} onChange={(value) => setParam({ ep_id: value })} />
          <TextFilter label={t('events.identityId')} value={filters.identity_id} onChange={(value) => setParam({ identity_id: value })} />
          <TextFilter label={t('events.group')} value={filters.group_name} onChange={(value) => setParam({ group_name: value })} />
        </div>
        <div className="filter-row">
          <fieldset className="checks">
            <legend>{t('events.personType')}</legend>
            {PERSON_TYPES.map((type) => (
              <label key={type} className="check">
                <input type="checkbox" checked={filters.person_type.includes(type)} onChange={() => togglePersonType(type)} />
                {t(`pt.${type}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('events.wantAction')}
            <select value={filters.want_action ?? ''} onChange={(event) => setParam({ want_action: event.target.value || undefined })}>
              <option value="">{t('events.any')}</option>
              {WANT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {action} · {t(`wa.${action}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('events.quality')}
            <select value={filters.fiqa_result ?? ''} onChange={(event) => setParam({ fiqa_result: event.target.value || undefined })}>
              <option value="">{t('events.any')}</option>
              <option value="true">{t('events.quality.pass')}</option>
              <option value="false">{t('events.quality.fail')}</option>
            </select>
          </label>
          <label>
            {t('events.hasImage')}
            <select value={filters.has_image ?? ''} onChange={(event) => setParam({ has_image: event.target.value || undefined })}>
              <option value="">{t('events.any')}</option>
              {IMAGE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kind.${kind}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label className="narrow">
            {t('events.scoreMin')}
            <input
              type="number"
              step="0.01"
              inputMode="decimal"
              defaultValue={filters.score_min ?? ''}
              key={`min-${filters.score_min}`}
              onBlur={(event) => setParam({ score_min: event.target.value || undefined })}
            />
          </label>
          <label className="narrow">
            {t('events.scoreMax')}
            <input
              type="number"
              step="0.01"
              inputMode="decimal"
              defaultValue={filters.score_max ?? ''}
              key={`max-${filters.score_max}`}
              onBlur={(event) => setParam({ score_max: event.target.value || undefined })}
            />
          </label>
          {hasFilters(filters) && (
            <button
              type="button"
              className="link"
              onClick={() =>
                setParam(
                  Object.fromEntries(
                    [
                      'from',
                      'to',
                      'dev_sno',
                      'ep_id',
                      'device_ip',
                      'device_type',
                      'identity_id',
                      'identity_name',
                      'group_name',
                      'person_type',
                      'want_action',
                      'score_min',
                      'score_max',
                      'fiqa_result',
                      'has_image',
                    ].map((name) => [name, undefined]),
                  ),
                )
              }
            >
              {t('events.clearFilters')}
            </button>
          )}
        </div>
      </div>
    </details>
  );
}

/** Filters open on a wide screen; on a phone they wait behind their summary, so that the events show first. */
const openByDefault = typeof window !== 'undefined' && window.matchMedia('(min-width: 761px)').matches;

function TextFilter({ label, value, onChange }: { label: string; value?: string; onChange: (value: string | undefined) => void }) {
  return (
    <label>
      {label}
      <input
        type="text"
        defaultValue={value ?? ''}
        key={value ?? ''}
        onBlur={(event) => onChange(event.target.value.trim() || undefined)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onChange((event.target as HTMLInputElement).value.trim() || undefined);
        }}
      />
    </label>
  );
}

function EventRows(props: {
  view: View;
  rows: EventItem[];
  thumbnails: Record<string, string>;
  liveCount: number;
  gap: number;
  onReload: () => void;
  onOpen: (id: string) => void;
  scroller: React.RefObject<HTMLDivElement | null>;
  onScroll: () => void;
  hasMore: boolean;
  loadMore: () => void;
  loadingMore: boolean;
}) {
  const { t } = useI18n();
  const { view, rows, scroller } = props;
  const [width, setWidth] = useState(960);
  const [cursor, setCursor] = useState(0);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, [scroller]);
  const columns = view === 'grid' ? Math.max(1, Math.floor((width - 8) / CARD_WIDTH)) : 1;
  const lines = Math.ceil(rows.length / columns) + 1;
  // eslint-disable-next-line react-hooks/incompatible-library -- a warning for React Compiler, which the console does not use
  const virtualizer = useVirtualizer({
    count: lines,
    getScrollElement: () => scroller.current,
    estimateSize: () => (view === 'grid' ? CARD_HEIGHT : ROW_HEIGHT),
    overscan: 4,
  });
  const virtualLines = virtualizer.getVirtualItems();
  const lastLine = virtualLines[virtualLines.length - 1]?.index ?? 0;
  useEffect(() => {
    if (props.hasMore && lastLine >= lines - 4) props.loadMore();
  }, [lastLine, lines, props]);

  const focusIndex = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setCursor(next);
    virtualizer.scrollToIndex(Math.floor(next / columns), { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, j: columns, k: -columns };
    if (event.key in moves) {
      event.preventDefault();
      focusIndex(cursor + moves[event.key]);
    } else if (event.key === 'Home') {
      event.preventDefault();
      focusIndex(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      focusIndex(rows.length - 1);
    }
  };

  return (
    <div
      ref={scroller}
      className={`scroller ${view}`}
      onScroll={props.onScroll}
      onKeyDown={onKeyDown}
      role="list"
      aria-label={t('events.title')}
      aria-busy={props.loadingMore}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualLines.map((line) => {
          const start = line.index * columns;
          const isLast = start >= rows.length;
          return (
            <div
              key={line.key}
              className={view === 'grid' ? 'grid-line' : 'list-line'}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${line.start}px)`, height: line.size }}
            >
              {isLast ? (
                <p className="muted end">{props.loadingMore ? t('common.loading') : props.hasMore ? '' : t('common.endOfList')}</p>
              ) : (
                rows.slice(start, start + columns).map((item, offset) => {
                  const index = start + offset;
                  const card = (
                    <EventCard
                      key={item.id}
                      item={item}
                      thumbnail={props.thumbnails[item.id]}
                      view={view}
                      index={index}
                      focused={index === cursor}
                      onOpen={() => {
                        setCursor(index);
                        props.onOpen(item.id);
                      }}
                    />
                  );
                  if (props.gap > 0 && index === props.liveCount - 1) {
                    return [
                      card,
                      <div key="gap" className="gap-note" role="note">
                        {t('live.gap', { count: props.gap })}
                        <button type="button" className="link" onClick={props.onReload}>
                          {t('live.reload')}
                        </button>
                      </div>,
                    ];
                  }
                  return card;
                })
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function EventCard({
  item,
  thumbnail,
  view,
  index,
  focused,
  onOpen,
}: {
  item: EventItem;
  thumbnail?: string;
  view: View;
  index: number;
  focused: boolean;
  onOpen: () => void;
}) {
  const { t, dateTime, short } = useI18n();
  const quality = item.fiqa_result === false ? <StatusBadge tone="warn">{t('events.qualityFailed')}</StatusBadge> : null;
  const action = item.want_action !== '0' ? <span className="badge tone-neutral">{t(`wa.${item.want_action}` as MessageKey)}</span> : null;
  return (
    <div
      role="listitem"
      tabIndex={focused ? 0 : -1}
      data-index={index}
      className={`event-card ${view}`}
      onClick={onOpen}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen();
        }
      }}
      aria-label={`${item.identity_name} · ${t(`pt.${item.ext_data.person_type}` as MessageKey)} · ${dateTime(item.event_time)}`}
    >
      <FaceThumb item={item} size={view === 'grid' ? 192 : 96} eager data={thumbnail} />
      <div className="event-meta">
        <strong className="name">{item.identity_name || '—'}</strong>
        <span className="time" title={dateTime(item.event_time)}>
          {view === 'grid' ? short(item.event_time) : dateTime(item.event_time)}
        </span>
        <span className="badges">
          <PersonTypeBadge type={item.ext_data.person_type} />
          {action}
          {quality}
        </span>
        {view === 'list' && (
          <span className="muted device">
            {item.ext_data.device_ip} · {t('events.score')} {item.score.toFixed(2)}
          </span>
        )}
      </div>
    </div>
  );
}
