import type { Request } from 'express';

/** Who a request of the admin API comes from: an admin API key, given as a bearer token or through a console session. */
export interface AdminPrincipal {
  /** The key's fingerprint (`AdminApiKeysService.keyIdOf`). */
  keyId: string;
  via: 'bearer' | 'session';
  /** With `via: 'session'`: the session's token hash, hex (what `SessionService.isActive` checks). */
  sessionId?: string;
}

const PRINCIPAL = Symbol('adminPrincipal');
type WithPrincipal = Request & { [PRINCIPAL]?: AdminPrincipal };

export function setPrincipal(req: Request, principal: AdminPrincipal): void {
  (req as WithPrincipal)[PRINCIPAL] = principal;
}

/** The principal the admin guard let in; undefined on routes without it. */
export function principalOf(req: Request): AdminPrincipal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}
