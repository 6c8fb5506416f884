/** Readers for the hook settings (see the Hooks section of EnvironmentVariables). */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "250ms", "10s", "5m", "3h", "1d" (or a bare number of milliseconds) as milliseconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[(match[2] ?? 'ms').toLowerCase()];
}

/** The shortest text that `parseDuration` reads back as `ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    if (ms > 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** "10s", "5m", "250ms": milliseconds, or the original value so that validation names it. */
export const toDuration = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (parseDuration(value) ?? value) : value;

/** "10s,30s,1m": milliseconds each, or the original value so that validation names it. */
export const toDurationList = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const durations = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map(parseDuration);
  return durations.every((ms) => ms !== undefined && ms > 0) ? durations : value;
};

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET_FORMAT = /^whsec_(?:[A-Za-z0-9+/]{4}){8,21}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const WEBHOOK_SECRET_MESSAGE =
  "must be set when HOOK_WEBHOOK_URLS is, as whsec_ followed by the base64 of 24 to 64 random bytes (make one with: node -e \"console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))\")";
