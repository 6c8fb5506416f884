import { ReactNode, useState } from 'react';
import { NavLink } from 'react-router';
import { useAuth } from '../auth';
import { BROWSER_ZONE, Language, useI18n } from '../i18n';
import { useLive } from '../live';

const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
];

export function LiveIndicator() {
  const { t } = useI18n();
  const { status, paused, setPaused } = useLive();
  const text = paused
    ? t('live.paused')
    : status === 'open'
      ? t('live.connected')
      : status === 'connecting'
        ? t('live.connecting')
        : t('live.offline');
  return (
    <div className="live">
      <span className={`dot ${paused ? 'paused' : status}`} aria-hidden="true" />
      <span role="status" aria-live="polite">
        {text}
      </span>
      <button type="button" className="small" onClick={() => setPaused(!paused)} aria-pressed={paused}>
        {paused ? t('live.resume') : t('live.pause')}
      </button>
    </div>
  );
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="inline">
      <span className="visually-hidden">{t('lang.label')}</span>
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)} aria-label={t('lang.label')}>
        <option value="zh">中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function ZoneSwitch() {
  const { timeZone, setTimeZone, t } = useI18n();
  const zones = [...new Set([BROWSER_ZONE, timeZone, ...ZONES])];
  return (
    <label className="inline">
      <span className="visually-hidden">{t('tz.label')}</span>
      <select
        value={timeZone}
        onChange={(event) => setTimeZone(event.target.value === BROWSER_ZONE ? null : event.target.value)}
        aria-label={t('tz.label')}
      >
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone === BROWSER_ZONE ? t('tz.browser', { zone }) : zone}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { signOut } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const links: [string, string][] = [
    ['/', t('nav.dashboard')],
    ['/events', t('nav.events')],
    ['/strangers', t('nav.strangers')],
    ['/devices', t('nav.devices')],
    ['/problems', t('nav.problems')],
  ];
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="icon-button menu-button"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          ☰<span className="visually-hidden">{t('nav.menu')}</span>
        </button>
        <strong className="brand">{t('app.title')}</strong>
        <LiveIndicator />
        <div className="topbar-tools">
          <ZoneSwitch />
          <LanguageSwitch />
          <button type="button" onClick={() => void signOut()}>
            {t('signout')}
          </button>
        </div>
      </header>
      <nav id="nav" className={menuOpen ? 'nav open' : 'nav'} aria-label={t('nav.main')}>
        {links.map(([to, text]) => (
          <NavLink key={to} to={to} end={to === '/'} onClick={() => setMenuOpen(false)}>
            {text}
          </NavLink>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
