import { Router } from "express";
import { z } from "zod";
import { parseInput, requireSession, sessionOf } from "../http";
import type { GatewayServices } from "../services/gatewayServices";

const verifyBody = z.object({
  message: z.string().min(1).max(4096),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x-prefixed hex"),
});

/** Sign-In with Ethereum: nonce → signed message → session token. */
export function authRoutes(services: GatewayServices): Router {
  const router = Router();
  const { sessions, config } = services;

  router.post("/auth/nonce", (_req, res) => {
    res.json({ nonce: sessions.issueNonce(), chainId: services.chain.chainId });
  });

  router.post("/auth/verify", async (req, res) => {
    const body = parseInput(verifyBody, req.body, "body");
    const domain = config.siweDomain ?? req.get("host") ?? "";
    const { token, session } = await sessions.signIn(body.message, body.signature, domain);
    res.json({ token, address: session.address, expiresAt: new Date(session.expiresAt).toISOString() });
  });

  router.get("/auth/session", requireSession(sessions), (_req, res) => {
    const session = sessionOf(res);
    res.json({ address: session.address, expiresAt: new Date(session.expiresAt).toISOString() });
  });

  return router;
}
