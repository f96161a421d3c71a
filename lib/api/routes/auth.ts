import { z } from "zod";
import { route } from "../route";
import { sessionView } from "../views";

/** Sign-In with Ethereum: nonce → signed EIP-4361 message → session token; sign-out ends it on the gateway. */
export const authRoutes = {
  issueNonce: route({
    method: "post",
    path: "/api/auth/nonce",
    summary: "Issue a single-use sign-in nonce, with the domain, URI and chain a sign-in message must name",
    tag: "auth",
    auth: false,
    status: 200,
    response: {
      description: "A nonce for one EIP-4361 message",
      schema: z.object({ nonce: z.string(), chainId: z.number().int(), domain: z.string(), uri: z.string() }),
    },
    errors: [],
  }),
  signIn: route({
    method: "post",
    path: "/api/auth/verify",
    summary: "Verify a signed EIP-4361 message (domain, URI, chain, nonce, issuedAt, expiry) and open a session",
    tag: "auth",
    auth: false,
    body: z.object({
      message: z.string().min(1).max(4096).meta({ description: "The EIP-4361 message the wallet signed." }),
      signature: z.string().regex(/^0x[0-9a-fA-F]{2,2048}$/, "must be 0x-prefixed hex"),
    }),
    status: 200,
    response: { description: "Session token", schema: sessionView },
    errors: ["BAD_REQUEST", "NONCE_INVALID", "BAD_SIGNATURE"],
  }),
  session: route({
    method: "get",
    path: "/api/auth/session",
    summary: "Who the session token belongs to",
    tag: "auth",
    auth: true,
    status: 200,
    response: { description: "The signed-in wallet", schema: z.object({ address: z.string(), expiresAt: z.string() }) },
    errors: [],
  }),
  signOut: route({
    method: "post",
    path: "/api/auth/sign-out",
    summary: "End the session on the gateway: the token is refused from now on by this gateway and by replicas sharing its state database",
    tag: "auth",
    auth: true,
    status: 200,
    response: { description: "Signed out", schema: z.object({ signedOut: z.literal(true) }) },
    errors: [],
  }),
};
