import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, Conflict, ConflictDetail, ImageKind, Page, withQuery } from '../../api';
import { ErrorBox, QueryState, Spinner, StatusBadge } from '../../components/ui';
import { MessageKey, useI18n } from '../../i18n';
import { ComparisonRow, comparisonRows, imageDigest, imagePreview, Side, valueText } from './conflict-fields';

const EVENT_ID = /^[1-9]\d{0,18}$/;

/**
 * Conflicting duplicates: later copies of stored events with the same dedup key but other content
 * (docs/event-identity.md). Pages load as the end of the list scrolls into view; each copy opens
 * into a side-by-side comparison with the stored event.
 */
export default function Conflicts() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const eventId = EVENT_ID.test(params.get('event_id') ?? '') ? params.get('event_id')! : undefined;
  const list = useInfiniteQuery({
    queryKey: ['conflicts', 'list', eventId ?? null],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Conflict>>(withQuery('/api/conflicts', { event_id: eventId, limit: 50, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="conflicts-title" className="conflicts">
      <h2 id="conflicts-title">{t('problems.conflicts')}</h2>
      <p className="muted">{t('problems.conflictsIntro')}</p>
      {eventId && (
        <p className="notice">
          {t('conflicts.onlyEvent', { id: eventId })}{' '}
          <button type="button" className="link" onClick={() => setParams({ tab: 'conflicts' })}>
            {t('conflicts.showAll')}
          </button>
        </p>
      )}
      <QueryState query={list}>
        {() =>
          items.length === 0 ? (
            <p className="empty">{t('conflicts.none')}</p>
          ) : (
            <>
              <ul className="plain" aria-labelledby="conflicts-title">
                {items.map((item) => (
                  <ConflictItem key={item.id} item={item} />
                ))}
              </ul>
              <MoreOnScroll hasMore={list.hasNextPage} loading={list.isFetchingNextPage} load={() => void list.fetchNextPage()} />
            </>
          )
        }
      </QueryState>
    </section>
  );
}

/**
 * The end of a paged list: the next page loads when this comes within 400 px of the viewport, and
 * the button does the same from the keyboard. The observer is made again after each page, so that
 * a page too short to push the end out of view is followed by the next one.
 */
function MoreOnScroll({ hasMore, loading, load }: { hasMore: boolean; loading: boolean; load: () => void }) {
  const { t } = useI18n();
  const end = useRef<HTMLDivElement>(null);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (!hasMore || loading || !end.current || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadRef.current(), {
      rootMargin: '400px',
    });
    observer.observe(end.current);
    return () => observer.disconnect();
  }, [hasMore, loading]);
  return (
    <div ref={end} className="end">
      {loading ? (
        <Spinner />
      ) : hasMore ? (
        <button type="button" onClick={load}>
          {t('common.more')}
        </button>
      ) : (
        <p className="muted">{t('common.endOfList')}</p>
      )}
    </div>
  );
}

function ConflictItem({ item }: { item: Conflict }) {
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const comparisonId = `conflict-${item.id}-comparison`;
  return (
    <li className="card conflict-item">
      <div className="hook-head">
        <strong>#{item.id}</strong>
        <span>
          {t('conflicts.storedEvent')}: <Link to={`/events?event=${item.event_id}`}>#{item.event_id}</Link>
        </span>
        <span className="muted">
          {t('problems.received', { time: dateTime(item.received_at) })} · {t('problems.format', { format: item.format })}
          {item.received_from ? ` · ${t('conflicts.from', { address: item.received_from })}` : ''}
        </span>
        {item.withheld_hook && <StatusBadge tone="warn">{t('conflicts.withheld')}</StatusBadge>}
      </div>
      <p className="conflict-fields">
        {t('conflicts.differsIn')}:{' '}
        {item.fields.map((field) => (
          <code key={field} className="diff-field">
            {field}
          </code>
        ))}
      </p>
      {item.withheld_hook && <p className="muted small-text">{t('conflicts.withheldWhy', { hook: item.withheld_hook })}</p>}
      <button type="button" aria-expanded={open} aria-controls={comparisonId} onClick={() => setOpen(!open)}>
        {open ? t('conflicts.hideComparison') : t('conflicts.compare')}
      </button>
      <div id={comparisonId} hidden={!open}>
        {open && <Comparison item={item} />}
      </div>
    </li>
  );
}

function Comparison({ item }: { item: Conflict }) {
  const { t } = useI18n();
  const detail = useQuery({
    queryKey: ['conflict', item.id],
    queryFn: ({ signal }) => api<ConflictDetail>(`/api/conflicts/${item.id}`, { signal }),
    // The payload holds the copy's images: kept only while the comparison is open.
    gcTime: 0,
  });
  const rows = useMemo(() => (detail.data ? comparisonRows(detail.data.event, detail.data.differences) : []), [detail.data]);
  if (detail.error) return <ErrorBox error={detail.error} retry={() => void detail.refetch()} />;
  if (!detail.data) return <Spinner />;
  const differing = rows.filter((row) => row.difference);
  const same = rows.filter((row) => !row.difference);
  return (
    <div className="comparison">
      <table>
        <caption className="visually-hidden">{t('conflicts.caption', { id: item.id })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('conflicts.field')}</th>
            <th scope="col">{t('conflicts.stored', { id: item.event_id })}</th>
            <th scope="col">{t('conflicts.copy')}</th>
          </tr>
        </thead>
        <tbody>
          {differing.map((row) => (
            <tr key={row.field} className="differs">
              <th scope="row">
                <code>{row.field}</code> <span className="badge tone-warn">{t('conflicts.differs')}</span>
              </th>
              <td data-label={t('conflicts.stored', { id: item.event_id })}>
                <Value row={row} side="stored" eventId={item.event_id} />
              </td>
              <td data-label={t('conflicts.copy')}>
                <Value row={row} side="copy" eventId={item.event_id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {same.length > 0 && (
        <details>
          <summary>{t('conflicts.sameFields', { count: same.length })}</summary>
          <table>
            <tbody>
              {same.map((row) => (
                <tr key={row.field}>
                  <th scope="row">
                    <code>{row.field}</code>
                  </th>
                  <td data-label={t('conflicts.both')}>
                    <Value row={row} side="copy" eventId={item.event_id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

function Value({ row, side, eventId }: { row: ComparisonRow; side: 'stored' | 'copy'; eventId: string }) {
  const { t } = useI18n();
  const value: Side = row[side];
  if (!value.present) return <span className="muted">{t('conflicts.absent')}</span>;
  if (row.image) return <ImageValue kind={row.image} row={row} side={side} value={value.value} eventId={eventId} />;
  return <code className="value">{valueText(value.value)}</code>;
}

/**
 * An image of either side. The stored one is the event's (its thumbnail); the copy's bytes are only
 * in the conflict's payload, shown from there. Equal images (equal in the digest) show the stored one.
 */
function ImageValue({
  kind,
  row,
  side,
  value,
  eventId,
}: {
  kind: ImageKind;
  row: ComparisonRow;
  side: 'stored' | 'copy';
  value: unknown;
  eventId: string;
}) {
  const { t } = useI18n();
  const name = t(`kind.${kind}` as MessageKey);
  const digest = imageDigest(row.difference ? row.difference[side] : undefined);
  const other = imageDigest(row.difference ? row.difference[side === 'stored' ? 'copy' : 'stored'] : undefined);
  const fromCopy = side === 'copy' && row.difference ? imagePreview(value) : null;
  const empty = digest ? digest.byte_size === 0 : value === '';
  if (empty) return <span className="muted">{t('conflicts.emptyImage')}</span>;
  if (side === 'copy' && row.difference && !fromCopy) return <code className="value">{valueText(value)}</code>;
  const url = `/api/events/${eventId}/images/${kind}`;
  const bytes = digest?.byte_size ?? fromCopy?.byteSize;
  return (
    <figure className="conflict-image">
      {fromCopy ? (
        <img src={fromCopy.src} alt={t('conflicts.copyImage', { kind: name })} decoding="async" />
      ) : (
        <a href={url} target="_blank" rel="noreferrer">
          <img src={`${url}/thumbnail?size=192`} alt={t('conflicts.storedImage', { kind: name })} loading="lazy" decoding="async" />
        </a>
      )}
      {digest && (
        <figcaption>
          {bytes !== undefined && `${Math.max(1, Math.round(bytes / 1024))} KB · `}
          <code title={digest.sha256}>sha256 {digest.sha256.slice(0, 12)}…</code>
          {other && other.sha256 === digest.sha256 && (
            <>
              {' '}
              · {t('conflicts.sameBytes')}: <code>{digest.data_url_prefix ?? t('conflicts.noPrefix')}</code>
            </>
          )}
        </figcaption>
      )}
    </figure>
  );
}
