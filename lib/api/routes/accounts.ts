import { z } from "zod";
import { addressSchema, limitSchema, pageTokenSchema } from "../primitives";
import { route } from "../route";
import { accountView, pageFields, providerView } from "../views";

/** Accounts and providers: the chain state a wallet needs to sign and to encrypt for someone. */
export const accountRoutes = {
  account: route({
    method: "get",
    path: "/api/accounts/{address}",
    summary: "Nonces, published keys, guardian, provider entry and roles of an account, at the chain head",
    tag: "accounts",
    auth: false,
    params: z.object({ address: addressSchema }),
    status: 200,
    response: { description: "Account state", schema: accountView },
    errors: ["BAD_REQUEST", "CHAIN_UNAVAILABLE"],
  }),
  providers: route({
    method: "get",
    path: "/api/providers",
    summary: "Providers in the registry (verified and deactivated), with their published encryption keys",
    tag: "accounts",
    auth: false,
    query: z.object({
      kind: z.enum(["clinician", "pharmacy", "laboratory"]).optional(),
      active: z.enum(["true", "false"]).optional(),
      limit: limitSchema,
      next: pageTokenSchema.optional(),
    }),
    status: 200,
    response: { description: "Providers, by name", schema: z.object({ providers: z.array(providerView), ...pageFields }) },
    errors: ["BAD_REQUEST"],
  }),
};
