import { z } from "zod";
import { addressSchema } from "../primitives";
import { route } from "../route";

/** Break-glass: the escrow key patients wrap their emergency summary for, and its release to a provider whose window is open. */
export const emergencyRoutes = {
  escrowKey: route({
    method: "get",
    path: "/api/emergency/escrow-key",
    summary: "The account and X25519 public key patients wrap their emergency summary's key for",
    tag: "emergency",
    auth: false,
    status: 200,
    response: { description: "Escrow identity", schema: z.object({ account: z.string(), publicKey: z.string() }) },
    errors: ["ESCROW_UNAVAILABLE"],
  }),
  emergencySummaryKey: route({
    method: "post",
    path: "/api/emergency/{patient}/key",
    summary: "While your on-chain break-glass window is open: the summary's key re-wrapped for you (logged as a disclosure)",
    tag: "emergency",
    auth: true,
    params: z.object({ patient: addressSchema }),
    body: z.object({
      justification: z
        .string()
        .trim()
        .min(10, "must say in a sentence why the glass is broken (at least 10 characters)")
        .max(500, "must be at most 500 characters")
        .meta({ description: "Why you need the summary, in your words; shown to the patient and the auditor" }),
    }),
    status: 200,
    response: {
      description: "The summary's CID and a key bundle for it, wrapped for your published encryption key",
      schema: z.object({ cid: z.string(), keyBundle: z.string(), expiresAt: z.number().int(), disclosureSeq: z.number().int() }),
    },
    errors: [
      "BAD_REQUEST",
      "ACCESS_DENIED",
      "NOT_FOUND",
      "CONTENT_NOT_FOUND",
      "CHAIN_UNAVAILABLE",
      "STORE_UNAVAILABLE",
      "ESCROW_UNAVAILABLE",
    ],
  }),
};
