import { z } from "zod";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

const verifyBody = z.object({
  message: z.string().min(1).max(4096).openapi({ description: "The EIP-4361 message the wallet signed." }),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x-prefixed hex"),
});
const sessionSchema = z.object({ token: z.string(), address: z.string(), expiresAt: z.string() }).openapi("Session");

/** Sign-In with Ethereum: nonce → signed message → session token. */
export function authRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { sessions, config, chain } = services;

  api.add(
    {
      method: "post",
      path: "/api/auth/nonce",
      summary: "Issue a single-use sign-in nonce",
      tag: "auth",
      auth: false,
      responses: {
        200: { description: "A nonce for one EIP-4361 message", schema: z.object({ nonce: z.string(), chainId: z.number().int() }) },
      },
      errors: [],
    },
    ({ res }) => void res.json({ nonce: sessions.issueNonce(), chainId: chain.chainId }),
  );

  api.add(
    {
      method: "post",
      path: "/api/auth/verify",
      summary: "Verify a signed EIP-4361 message and open a session",
      tag: "auth",
      auth: false,
      body: verifyBody,
      responses: { 200: { description: "Session token", schema: sessionSchema } },
      errors: ["BAD_REQUEST", "NONCE_INVALID", "BAD_SIGNATURE"],
    },
    async ({ body, req, res }) => {
      const domain = config.siweDomain ?? req.get("host") ?? "";
      const { token, session } = await sessions.signIn(body.message, body.signature, domain);
      res.json({ token, address: session.address, expiresAt: new Date(session.expiresAt).toISOString() });
    },
  );

  api.add(
    {
      method: "get",
      path: "/api/auth/session",
      summary: "Who the session token belongs to",
      tag: "auth",
      auth: true,
      responses: { 200: { description: "The signed-in wallet", schema: z.object({ address: z.string(), expiresAt: z.string() }) } },
      errors: [],
    },
    ({ session, res }) => void res.json({ address: session.address, expiresAt: new Date(session.expiresAt).toISOString() }),
  );
}
