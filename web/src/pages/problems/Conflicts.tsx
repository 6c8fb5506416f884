import { useI18n } from '../../i18n';

/**
 * Conflicting duplicates: events that share a dedup key with a stored event but differ in
 * content. The hardening work adds `GET /api/conflicts`; this panel is where its list goes
 * (a paged list like the quarantine's, each conflict showing both versions side by side).
 */
export default function Conflicts() {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">{t('problems.conflicts')}</h2>
      <p className="muted">{t('problems.conflictsSoon')}</p>
    </section>
  );
}
