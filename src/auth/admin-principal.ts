import type { Request } from 'express';

/** Who a request of the admin API comes from: an admin API key, given as a bearer token or through a console session. */
export interface AdminPrincipal {
  /** The key's fingerprint (`AdminApiKeysService.keyIdOf`): stable and not secret; what rate limits and sessions count by. */
  keyId: string;
  via: 'bearer' | 'session';
  /** With `via: 'session'`: the session's token hash, hex (what `SessionService.isActive` checks). */
  sessionId?: string;
}

/**
 * One way to authenticate admin requests (the bearer key, the console's session cookie). It
 * returns the caller when the request carries a valid credential of its kind, null otherwise
 * (the guard then answers), and never keeps the credential.
 */
export interface AdminCredentialSource {
  authenticate(req: Request): AdminPrincipal | null | Promise<AdminPrincipal | null>;
}

/** The credential sources the guard asks, in order: a provider of `AdminCredentialSource[]`. */
export const ADMIN_CREDENTIAL_SOURCES = Symbol('ADMIN_CREDENTIAL_SOURCES');

const PRINCIPAL = Symbol('adminPrincipal');
type WithPrincipal = Request & { [PRINCIPAL]?: AdminPrincipal };

export function setPrincipal(req: Request, principal: AdminPrincipal): void {
  (req as WithPrincipal)[PRINCIPAL] = principal;
}

/** The principal the admin guard let in; undefined on routes without it. */
export function principalOf(req: Request): AdminPrincipal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}

/** RFC 7235 credentials of the bearer scheme: the scheme in any case, one space, a token68, nothing else. */
const BEARER_CREDENTIALS = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header; null for any other header, or none. */
export function bearerToken(authorization: string | undefined): string | null {
  return BEARER_CREDENTIALS.exec(authorization ?? '')?.[1] ?? null;
}
