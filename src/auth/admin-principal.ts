import type { Request } from 'express';

/** Who is calling the admin API, once authenticated. */
export interface AdminPrincipal {
  /** How the caller authenticated. */
  method: 'api-key';
  /** Stable and not secret (derived from a digest, never the credential itself): what the rate limit counts by. */
  id: string;
}

/**
 * One way to authenticate admin requests: the API key today, a console session later. It
 * returns the caller when the request carries a valid credential of its kind, null otherwise
 * (the guard then answers), and never keeps the credential.
 */
export interface AdminCredentialSource {
  authenticate(req: Request): AdminPrincipal | null;
}

/** The credential sources the guard asks, in order: a provider of `AdminCredentialSource[]`. */
export const ADMIN_CREDENTIAL_SOURCES = Symbol('ADMIN_CREDENTIAL_SOURCES');

type AuthenticatedRequest = Request & { adminPrincipal?: AdminPrincipal };

/** The caller the guard let through, for handlers that need to know who it is. */
export function adminPrincipalOf(req: Request): AdminPrincipal | undefined {
  return (req as AuthenticatedRequest).adminPrincipal;
}

export function setAdminPrincipal(req: Request, principal: AdminPrincipal): void {
  (req as AuthenticatedRequest).adminPrincipal = principal;
}

/** RFC 7235 credentials of the bearer scheme: the scheme in any case, one space, a token68, nothing else. */
const BEARER_CREDENTIALS = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header; null for any other header, or none. */
export function bearerToken(authorization: string | undefined): string | null {
  return BEARER_CREDENTIALS.exec(authorization ?? '')?.[1] ?? null;
}
