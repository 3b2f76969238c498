// PostgreSQL SQLSTATEs that mean "the server is not there right now", not "your query is wrong":
// class 08 (connection exception) and these.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
// Prisma's driver-adapter kinds and its own codes for the same situations.
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
// node-postgres reports lost or refused connections as plain Errors.
const PG_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * True when `error` (or anything in its cause chain, Prisma's wrapped driver error included) says
 * the database cannot be reached or is restarting: the caller should answer 503 and retry later.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, message, cause, meta, driverAdapterError } = e as Record<string, unknown>;
    if (typeof code === "string" && (code.startsWith("08") || UNAVAILABLE_SQLSTATES.has(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code))) return true;
    if (typeof kind === "string" && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof message === "string" && PG_MESSAGES.test(message)) return true;
    if (e instanceof AggregateError) queue.push(...e.errors);
    queue.push(cause, meta, driverAdapterError);
  }
  return false;
}
