import type { Request } from "express";

/** The client's network address as Express resolves it (the socket address unless TRUST_PROXY_HOPS is set). */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}
