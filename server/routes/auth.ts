import { API } from "../../lib/api";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** Sign-In with Ethereum: nonce → signed EIP-4361 message → session token; sign-out ends the session on the gateway. */
export function authRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { sessions } = services;

  api.add(API.issueNonce, () => ({ nonce: sessions.issueNonce(), ...sessions.expected() }));

  api.add(API.signIn, async ({ body }) => {
    const { token, session } = await sessions.signIn(body.message, body.signature);
    return { token, address: session.address, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  api.add(API.session, ({ session }) => ({ address: session.address, expiresAt: new Date(session.expiresAt).toISOString() }));

  api.add(API.signOut, ({ session }) => {
    sessions.signOut(session);
    return { signedOut: true as const };
  });
}
