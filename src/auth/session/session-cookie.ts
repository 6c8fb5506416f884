import type { Request } from 'express';

export const SESSION_COOKIE = 'se3_session';
/** The cookie goes to the API only: pages and assets never carry it. */
export const SESSION_COOKIE_PATH = '/api';
/**
 * A cookie-authenticated request that changes something must carry this header: a cross-site
 * form cannot send a custom header, and a cross-site script cannot without a CORS preflight.
 */
export const CONSOLE_REQUEST_HEADER = 'x-se3-console';

/** The value of the session cookie, when the request carries one. */
export function sessionTokenOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === SESSION_COOKIE) {
      const value = part.slice(index + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The Set-Cookie value that gives the browser its session (Secure when the request came over HTTPS). */
export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
