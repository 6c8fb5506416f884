const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATE classes and codes that mean "the database cannot serve this now; the same request
 * may pass later", whatever the request: 08 connection exception; 53 insufficient resources
 * (too many connections, disk full, out of memory); 57 operator intervention (shutdown, crash,
 * starting up) and 57014 (statement timeout); 58 system error (I/O); 3D000 the database does not
 * exist (renamed, dropped); 28 authentication refused (a role or password changed); 55000 not
 * accepting connections (ALLOW_CONNECTIONS false) and 55P03 lock timeout; 25006 read-only (a
 * failover left us on a standby); 40001 and 40P01, serialisation failure and deadlock; 40003
 * statement completion unknown.
 */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '58', '28'];
const UNAVAILABLE_CODES = new Set(['3D000', '55000', '55P03', '25006', '40001', '40P01', '40003']);

/** True for a SQLSTATE (or a socket error code) of the "retry later" kind above. */
export function isUnavailableCode(code: string): boolean {
  return (
    CONNECTION_ERROR_CODES.has(code) ||
    UNAVAILABLE_CODES.has(code) ||
    (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix)))
  );
}

/**
 * True when an error means "the database cannot serve this right now" rather than "this query
 * is wrong": connection failures, server shutdown or crash, a pool that could not hand out a
 * connection in time, and the SQLSTATEs of `isUnavailableCode`. The box is then answered 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    const { code, driverError } = cause as { code?: unknown; driverError?: unknown };
    if (typeof code === 'string' && isUnavailableCode(code)) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(cause.message)) {
      return true;
    }
    if (driverError instanceof Error && isDatabaseUnavailable(driverError)) return true;
  }
  return false;
}

/** True when PostgreSQL cancelled the statement because it ran longer than statement_timeout. */
export function isStatementTimeout(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    const { code, driverError } = cause as { code?: unknown; driverError?: unknown };
    if (code === '57014' && /statement timeout/.test(cause.message)) return true;
    if (driverError instanceof Error && isStatementTimeout(driverError)) return true;
  }
  return false;
}
