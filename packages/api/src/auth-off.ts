import { readApiEnv, type ApiEnv } from "./env";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(\.\d{1,3}){3})$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.trim());
}

/**
 * With FINETRACK_AUTH=off anyone who reaches the port can read and write everything, so serving
 * beyond this machine needs a second, explicit flag.
 */
export function assertAuthOffAllowed(host: string, env: ApiEnv = readApiEnv()): void {
  if (env.FINETRACK_AUTH === "on" || isLoopbackHost(host) || env.FINETRACK_AUTH_OFF_ALLOW_REMOTE === "1") return;
  throw new Error(
    `FINETRACK_AUTH=off on host '${host}' would let anyone on the network read and write every project; ` +
      "listen on 127.0.0.1 (--host 127.0.0.1), turn auth on, or set FINETRACK_AUTH_OFF_ALLOW_REMOTE=1 if that is really wanted",
  );
}
