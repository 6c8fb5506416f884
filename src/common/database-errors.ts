const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when an error means "the database cannot be reached right now" rather than "this query
 * is wrong": connection failures, server shutdown or crash, and a pool that could not hand out a
 * connection in time. SQLSTATE classes 08 (connection exception) and 57P (operator intervention).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    const { code, driverError } = cause as { code?: unknown; driverError?: unknown };
    if (typeof code === 'string') {
      if (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || code.startsWith('57P')) return true;
    }
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(cause.message)) {
      return true;
    }
    if (driverError instanceof Error && isDatabaseUnavailable(driverError)) return true;
  }
  return false;
}
